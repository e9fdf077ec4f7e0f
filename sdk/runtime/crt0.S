// Start-up of a SaltyOS native program: x0 holds the boot-info page's
// address, sp the top of the stack MemoryObject. Calls salty_main and exits
// the thread with its return value. The note marks the ELF as native
// (loader/native-note.ts): name "SaltyOS", type 0x5a17, ABI version 1.

        .section .note.saltyos, "a", %note
        .balign 4
        .word 8             // namesz: "SaltyOS" and its NUL
        .word 4             // descsz
        .word 0x5a17        // NT_SALTY_NATIVE
        .asciz "SaltyOS"
        .word 1             // native ABI version

        .text
        .global _start
        .type _start, %function
_start:
        mov x29, #0
        mov x30, #0
        adrp x1, salty_boot
        str x0, [x1, :lo12:salty_boot]
        bl salty_main
        bl salty_exit
        .size _start, . - _start
