// Start-up of a SaltyOS native program: the kernel enters _start as a
// function called with the boot-info page's address (n0: x0 on aarch64, rdi
// on x86_64) on the stack MemoryObject. Calls salty_main and exits the thread
// with its return value. The note marks the ELF as native
// (loader/native-note.ts): name "SaltyOS", type 0x5a17, ABI version 1.

        .section .note.saltyos, "a", %note
        .balign 4
        .4byte 8            // namesz: "SaltyOS" and its NUL
        .4byte 4            // descsz
        .4byte 0x5a17       // NT_SALTY_NATIVE
        .asciz "SaltyOS"
        .4byte 1            // native ABI version

        .text
        .global _start
        .type _start, %function
_start:
#if defined(__aarch64__)
        mov x29, #0
        mov x30, #0
        adrp x1, salty_boot
        str x0, [x1, :lo12:salty_boot]
        bl salty_main
        bl salty_exit
#elif defined(__x86_64__)
        xor %ebp, %ebp
        mov %rdi, salty_boot(%rip)
        and $-16, %rsp
        call salty_main
        movslq %eax, %rdi
        call salty_exit
#endif
        .size _start, . - _start

        .section .note.GNU-stack, "", %progbits
