package org.icmpecho.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ICMPAPI.md section 7, column "Wine WN", row by row; the expected numbers are copied from the
 * table.
 */
class StatusMapTest {

  @ParameterizedTest(name = "ICMPv4 type {0} code {1} -> {2}")
  @CsvSource({
    "0, 0, 0", // echo reply
    "3, 0, 11002", // net unreachable
    "3, 1, 11003", // host unreachable
    "3, 2, 11004", // protocol unreachable
    "3, 3, 11005", // port unreachable
    "3, 4, 11009", // fragmentation needed and DF set
    "3, 5, 11012", // source route failed
    "3, 6, 11002", // destination network unknown
    "3, 7, 11003", // destination host unknown
    "3, 8, 11003", // source host isolated
    "3, 9, 11002", // network administratively prohibited
    "3, 10, 11003", // host administratively prohibited
    "3, 11, 11002", // network unreachable for TOS
    "3, 12, 11003", // host unreachable for TOS
    "3, 13, 11003", // communication administratively filtered
    "3, 14, 11003", // host precedence violation
    "3, 15, 11003", // precedence cutoff in effect
    "3, 16, 11003", // >= 16
    "3, 200, 11003",
    "3, 255, 11003",
    "4, 0, 11016", // source quench, any code
    "4, 1, 11016",
    "4, 255, 11016",
    "11, 0, 11013", // TTL exceeded in transit
    "11, 1, 11014", // fragment reassembly time exceeded
    "11, 2, 11013", // undefined codes count as in transit, as in Wine
    "11, 255, 11013",
    "12, 0, 11015", // parameter problem, any code
    "12, 1, 11015",
    "12, 2, 11015",
    "12, 255, 11015",
  })
  void icmpv4TypeAndCodeMapAsWineDoes(int type, int code, int expected) {
    IpStatus status = StatusMap.icmpv4(type, code);
    assertEquals(IpStatus.ofCode(expected), status);
    assertEquals(expected, status.code());
  }

  @Test
  void everyUnassignedUnreachableCodeIsHostUnreachable() {
    for (int code = 16; code <= 255; code++) {
      assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, StatusMap.icmpv4(3, code), "code " + code);
    }
  }

  @ParameterizedTest(name = "ICMPv4 type {0} is ignored")
  // 5 redirect, 8 echo request, 9/10 router discovery, 13-18 timestamp/information/mask, 30
  // traceroute, 1, 2, 6, 7 unassigned or deprecated, 42/43 extended echo, 253/255 experimental and
  // reserved, and non-byte values.
  @ValueSource(
      ints = {1, 2, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18, 30, 42, 43, 253, 255, 256, -1})
  void icmpv4TypesThatDoNotAnswerAnEchoAreIgnored(int type) {
    for (int code = 0; code < 4; code++) {
      assertNull(StatusMap.icmpv4(type, code), "type " + type + " code " + code);
    }
  }

  @ParameterizedTest(name = "ICMPv6 type {0} code {1} -> {2}")
  @CsvSource({
    "129, 0, 0", // echo reply
    "1, 0, 11002", // no route to destination (IP_DEST_NO_ROUTE)
    "1, 1, 11004", // administratively prohibited (IP_DEST_PROHIBITED)
    "1, 2, 11045", // beyond scope of source address
    "1, 3, 11003", // address unreachable (IP_DEST_ADDR_UNREACHABLE)
    "1, 4, 11005", // port unreachable
    "1, 5, 11044", // source address failed ingress/egress policy
    "1, 6, 11040", // reject route to destination
    "1, 7, 11042", // error in source routing header
    "1, 8, 11003", // >= 8
    "1, 255, 11003",
    "2, 0, 11009", // packet too big
    "3, 0, 11013", // hop limit exceeded in transit
    "3, 1, 11014", // fragment reassembly time exceeded
    "3, 2, 11041", // other codes: generic time exceeded
    "3, 255, 11041",
    "4, 0, 11015", // erroneous header field
    "4, 1, 11015", // unrecognized next header
    "4, 2, 11015", // unrecognized IPv6 option
    "4, 3, 11015", // other codes
    "4, 255, 11015",
  })
  void icmpv6TypeAndCodeMapAsWineDoes(int type, int code, int expected) {
    IpStatus status = StatusMap.icmpv6(type, code);
    assertEquals(IpStatus.ofCode(expected), status);
    assertEquals(expected, status.code());
  }

  @Test
  void icmpv6AliasesNameTheSameStatuses() {
    assertEquals(IpStatus.IP_DEST_NO_ROUTE, StatusMap.icmpv6(1, 0));
    assertEquals(IpStatus.IP_DEST_PROHIBITED, StatusMap.icmpv6(1, 1));
    assertEquals(IpStatus.IP_DEST_ADDR_UNREACHABLE, StatusMap.icmpv6(1, 3));
    assertEquals(IpStatus.IP_HOP_LIMIT_EXCEEDED, StatusMap.icmpv6(3, 0));
    assertEquals(IpStatus.IP_REASSEMBLY_TIME_EXCEEDED, StatusMap.icmpv6(3, 1));
    assertEquals(IpStatus.IP_PARAMETER_PROBLEM, StatusMap.icmpv6(4, 0));
  }

  @ParameterizedTest(name = "ICMPv6 type {0} is ignored")
  // 128 echo request, 130-132 MLD, 133-137 neighbour discovery, 143 MLDv2, unassigned error types 0
  // and 5-127, private experimentation 100/101/200/201, 255 reserved, and the ICMPv4 echo types.
  @ValueSource(
      ints = {
        0, 5, 8, 100, 101, 127, 128, 130, 131, 132, 133, 134, 135, 136, 137, 143, 200, 201, 255, -1
      })
  void icmpv6TypesThatDoNotAnswerAnEchoAreIgnored(int type) {
    for (int code = 0; code < 4; code++) {
      assertNull(StatusMap.icmpv6(type, code), "type " + type + " code " + code);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "EMSGSIZE, IP_PACKET_TOO_BIG",
    "EHOSTUNREACH, IP_DEST_HOST_UNREACHABLE",
    "ENETUNREACH, IP_DEST_NET_UNREACHABLE",
    "ENOBUFS, IP_NO_RESOURCES",
    "ENOMEM, IP_NO_RESOURCES",
    "EACCES, IP_GENERAL_FAILURE",
    "EPERM, IP_GENERAL_FAILURE",
    "ECONNREFUSED, IP_GENERAL_FAILURE",
    "EINVAL, IP_GENERAL_FAILURE",
    "emsgsize, IP_GENERAL_FAILURE", // errno names are upper case; anything else is not a known name
    "'', IP_GENERAL_FAILURE",
  })
  void localErrnoMapsKnownNamesAndFailsGenerallyOtherwise(String errno, IpStatus expected) {
    assertEquals(expected, StatusMap.localErrno(errno));
  }

  @Test
  void localErrnoOfNullIsGeneralFailure() {
    assertEquals(IpStatus.IP_GENERAL_FAILURE, StatusMap.localErrno(null));
  }
}
