package dev.meridian.core.text;

/**
 * One-pass checks of the character-class grammars that names and ids follow ({@code [a-z0-9][a-z0-9.-]{0,62}} and
 * the like). Every replayed event carries several such names (its id, origin, repository, tag) and each was matched
 * with a regular expression, a {@code Matcher} allocated per check: a profile of a region seeding a million tags put
 * the regex engine at a tenth of its transfer thread. These loops accept exactly what those expressions accepted.
 */
public final class AsciiGrammar {
  private AsciiGrammar() {}

  /** A set of ASCII characters. */
  @FunctionalInterface
  public interface CharClass {
    boolean contains(char c);
  }

  public static final CharClass LOWER_ALNUM = c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  public static final CharClass ALNUM = c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  /** Printable ASCII without the space, {@code [\x21-\x7e]}. */
  public static final CharClass VISIBLE = c -> c >= 0x21 && c <= 0x7e;

  /** {@code ALNUM} and these characters. */
  public static CharClass alnumAnd(String extra) {
    return c -> ALNUM.contains(c) || (c < 0x80 && extra.indexOf(c) >= 0);
  }

  /** {@code LOWER_ALNUM} and these characters. */
  public static CharClass lowerAlnumAnd(String extra) {
    return c -> LOWER_ALNUM.contains(c) || (c < 0x80 && extra.indexOf(c) >= 0);
  }

  /**
   * {@code first rest{minRest,maxRest}} over the whole of {@code text}: one character of {@code first}, then between
   * {@code minRest} and {@code maxRest} of {@code rest}.
   */
  public static boolean matches(String text, CharClass first, CharClass rest, int minRest, int maxRest) {
    return text != null && matches(text, 0, text.length(), first, rest, minRest, maxRest);
  }

  /** The same over {@code text[from, to)}. */
  public static boolean matches(String text, int from, int to, CharClass first, CharClass rest, int minRest, int maxRest) {
    int length = to - from;
    if (length < 1 + minRest || length > 1 + maxRest || !first.contains(text.charAt(from))) return false;
    for (int i = from + 1; i < to; i++) {
      if (!rest.contains(text.charAt(i))) return false;
    }
    return true;
  }
}
