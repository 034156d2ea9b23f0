package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address range such as {@code 10.1.0.0/16} or {@code fd00::/8}. Parsing takes literal addresses only
 * (never a host name, so no DNS lookup happens).
 */
public record CidrBlock(byte[] network, int prefixLength) {
  public CidrBlock {
    requireNonNull(network, "network");
    if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("not an IP address");
    if (prefixLength < 0 || prefixLength > network.length * 8) throw new IllegalArgumentException("prefix out of range: " + prefixLength);
    network = network.clone();
  }

  public static CidrBlock parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not a CIDR block (ADDRESS/PREFIX): " + text);
    String address = text.substring(0, slash).trim();
    if (!address.matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("not a literal IP address: " + text);
    try {
      return new CidrBlock(InetAddress.getByName(address).getAddress(), Integer.parseInt(text.substring(slash + 1).trim()));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR block: " + text, e);
    }
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) return false;
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) if (bytes[i] != network[i]) return false;
    int rest = prefixLength % 8;
    if (rest == 0) return true;
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (bytes[full] & mask) == (network[full] & mask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrBlock other && prefixLength == other.prefixLength && java.util.Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
