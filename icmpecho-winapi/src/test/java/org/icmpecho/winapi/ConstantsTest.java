package org.icmpecho.winapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;

/** The constants have the Windows values (ICMPAPI.md section 1). */
class ConstantsTest {

  @Test
  void everyIpStatusOfCoreHasItsConstant() throws Exception {
    for (IpStatus s : IpStatus.values()) {
      Field f = IpExport.class.getField(s.name());
      assertEquals(s.code(), f.getInt(null), s.name());
    }
  }

  @Test
  void ipStatusValues() {
    assertEquals(0, IpExport.IP_SUCCESS);
    assertEquals(11001, IpExport.IP_BUF_TOO_SMALL);
    assertEquals(11010, IpExport.IP_REQ_TIMED_OUT);
    assertEquals(11013, IpExport.IP_TTL_EXPIRED_TRANSIT);
    assertEquals(11018, IpExport.IP_BAD_DESTINATION);
    assertEquals(11019, IpExport.IP_ADDR_DELETED);
    assertEquals(11035, IpExport.IP_NO_FURTHER_SENDS);
    assertEquals(11040, IpExport.IP_DEST_UNREACHABLE);
    assertEquals(11045, IpExport.IP_DEST_SCOPE_MISMATCH);
    assertEquals(11050, IpExport.IP_GENERAL_FAILURE);
    assertEquals(11050, IpExport.MAX_IP_STATUS);
    assertEquals(11255, IpExport.IP_PENDING);
    assertEquals(11002, IpExport.IP_DEST_NO_ROUTE);
    assertEquals(11003, IpExport.IP_DEST_ADDR_UNREACHABLE);
    assertEquals(11004, IpExport.IP_DEST_PROHIBITED);
    assertEquals(11013, IpExport.IP_HOP_LIMIT_EXCEEDED);
    assertEquals(11014, IpExport.IP_REASSEMBLY_TIME_EXCEEDED);
    assertEquals(11015, IpExport.IP_PARAMETER_PROBLEM);
  }

  @Test
  void optionConstants() {
    assertEquals(1, IpExport.IP_FLAG_REVERSE);
    assertEquals(2, IpExport.IP_FLAG_DF);
    assertEquals(0x00, IpExport.IP_OPT_EOL);
    assertEquals(0x01, IpExport.IP_OPT_NOP);
    assertEquals(0x07, IpExport.IP_OPT_RR);
    assertEquals(0x44, IpExport.IP_OPT_TS);
    assertEquals(0x82, IpExport.IP_OPT_SECURITY);
    assertEquals(0x83, IpExport.IP_OPT_LSRR);
    assertEquals(0x88, IpExport.IP_OPT_SID);
    assertEquals(0x89, IpExport.IP_OPT_SSRR);
    assertEquals(0x94, IpExport.IP_OPT_ROUTER_ALERT);
    assertEquals(40, IpExport.MAX_OPT_SIZE);
  }

  @Test
  void winErrorValues() {
    assertEquals(0, WinError.NO_ERROR);
    assertEquals(5, WinError.ERROR_ACCESS_DENIED);
    assertEquals(6, WinError.ERROR_INVALID_HANDLE);
    assertEquals(8, WinError.ERROR_NOT_ENOUGH_MEMORY);
    assertEquals(31, WinError.ERROR_GEN_FAILURE);
    assertEquals(50, WinError.ERROR_NOT_SUPPORTED);
    assertEquals(87, WinError.ERROR_INVALID_PARAMETER);
    assertEquals(120, WinError.ERROR_CALL_NOT_IMPLEMENTED);
    assertEquals(122, WinError.ERROR_INSUFFICIENT_BUFFER);
    assertEquals(995, WinError.ERROR_OPERATION_ABORTED);
    assertEquals(997, WinError.ERROR_IO_PENDING);
    assertEquals(998, WinError.ERROR_NOACCESS);
    assertEquals(1214, WinError.ERROR_INVALID_NETNAME);
    assertEquals(0xC000000D, NtStatus.STATUS_INVALID_PARAMETER);
    assertEquals(0xC0000207, NtStatus.STATUS_INVALID_ADDRESS_COMPONENT);
  }

  @Test
  void allConstantsArePublicStaticFinalInts() {
    for (Class<?> c : new Class<?>[] {IpExport.class, WinError.class, NtStatus.class}) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        assertEquals(
            true,
            Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m),
            f.toString());
        assertEquals(int.class, f.getType(), f.toString());
      }
    }
  }

  @Test
  void kernel32Constants() {
    assertEquals(-1, Kernel32.INFINITE);
    assertEquals(0, Kernel32.WAIT_OBJECT_0);
    assertEquals(0xC0, Kernel32.WAIT_IO_COMPLETION);
    assertEquals(0x102, Kernel32.WAIT_TIMEOUT);
    assertEquals(-1, Kernel32.WAIT_FAILED);
    assertEquals(-1L, Kernel32.INVALID_HANDLE_VALUE.address());
    assertEquals(2, Ws2_32.AF_INET);
    assertEquals(23, Ws2_32.AF_INET6);
  }
}
