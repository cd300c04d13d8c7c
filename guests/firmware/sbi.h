/* sbi.h: SBI v2.0 extension ids, function ids, error codes and HSM states, written from the spec; shared by the firmware and sbi-check. Hand-typed from the specification, as no SBI header is packaged for bare-metal rv32. */
#ifndef SBI_H
#define SBI_H

/* Error codes returned in a0 */
#define SBI_SUCCESS                0
#define SBI_ERR_FAILED            -1
#define SBI_ERR_NOT_SUPPORTED     -2
#define SBI_ERR_INVALID_PARAM     -3
#define SBI_ERR_DENIED            -4
#define SBI_ERR_INVALID_ADDRESS   -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED   -7
#define SBI_ERR_ALREADY_STOPPED   -8

/* Extension ids (a7) */
#define SBI_EXT_LEGACY_SET_TIMER   0x00
#define SBI_EXT_LEGACY_PUTCHAR     0x01
#define SBI_EXT_LEGACY_GETCHAR     0x02
#define SBI_EXT_LEGACY_SHUTDOWN    0x08
#define SBI_EXT_BASE               0x10
#define SBI_EXT_TIME               0x54494D45  /* "TIME" */
#define SBI_EXT_IPI                0x735049    /* "sPI" */
#define SBI_EXT_RFENCE             0x52464E43  /* "RFNC" */
#define SBI_EXT_HSM                0x48534D    /* "HSM" */
#define SBI_EXT_SRST               0x53525354  /* "SRST" */
#define SBI_EXT_DBCN               0x4442434E  /* "DBCN" */

/* Base function ids (a6) */
#define SBI_BASE_GET_SPEC_VERSION  0
#define SBI_BASE_GET_IMPL_ID       1
#define SBI_BASE_GET_IMPL_VERSION  2
#define SBI_BASE_PROBE_EXTENSION   3
#define SBI_BASE_GET_MVENDORID     4
#define SBI_BASE_GET_MARCHID       5
#define SBI_BASE_GET_MIMPID        6

#define SBI_TIME_SET_TIMER         0
#define SBI_IPI_SEND_IPI           0
#define SBI_RFENCE_FENCE_I         0
#define SBI_RFENCE_SFENCE_VMA      1
#define SBI_RFENCE_SFENCE_VMA_ASID 2

#define SBI_HSM_HART_START         0
#define SBI_HSM_HART_STOP          1
#define SBI_HSM_HART_GET_STATUS    2
#define SBI_HSM_HART_SUSPEND       3

#define SBI_SRST_SYSTEM_RESET      0
#define SBI_SRST_SHUTDOWN          0
#define SBI_SRST_COLD_REBOOT       1
#define SBI_SRST_WARM_REBOOT       2
#define SBI_SRST_REASON_NONE       0
#define SBI_SRST_REASON_FAILURE    1

#define SBI_DBCN_CONSOLE_WRITE      0
#define SBI_DBCN_CONSOLE_READ       1
#define SBI_DBCN_CONSOLE_WRITE_BYTE 2

/* HSM hart states (hart_get_status) */
#define SBI_HSM_STARTED        0
#define SBI_HSM_STOPPED        1
#define SBI_HSM_START_PENDING  2
#define SBI_HSM_STOP_PENDING   3
#define SBI_HSM_SUSPENDED      4

#define SBI_HSM_SUSPEND_RETENTIVE     0x00000000u
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000u

/* SBI specification v2.0: major 2 in bits 30:24, minor 0 in bits 23:0. */
#define SBI_SPEC_VERSION 0x02000000

/* Implementation id of Tessera's SBI (in the firmware and the emulator's built-in SBI): "TESS",
   far above the ids the SBI spec assigns (0 BBL .. small numbers), so it never collides. */
#define SBI_IMPL_ID_TESSERA   0x54455353
#define SBI_IMPL_ID_OPENSBI   1
#define SBI_IMPL_VERSION_TESSERA 1

#endif
