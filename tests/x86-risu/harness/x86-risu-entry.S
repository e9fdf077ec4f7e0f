// Process entry, signal restorer and the state loader of x86-risu-harness.c.
        .section .note.GNU-stack,"",@progbits
        .text
        .global _start
_start:
        mov     %rsp, %rdi
        and     $-16, %rsp
        call    risu_main
        ud2

        .global risu_restorer
risu_restorer:
        mov     $15, %eax           // rt_sigreturn
        syscall

// risu_enter(void): every register from risu_box.s (x86-risu-harness.c), then
// the block at risu_code. RSP points at the RFLAGS slot for POPFQ; the block is
// reached by a memory-indirect jump so no register is needed for it.
        .global risu_enter
risu_enter:
        fninit
        fxrstor64 risu_box+144(%rip)
        lea     risu_box+136(%rip), %rsp
        mov     risu_box+8(%rip), %rax
        mov     risu_box+16(%rip), %rcx
        mov     risu_box+24(%rip), %rdx
        mov     risu_box+32(%rip), %rbx
        mov     risu_box+48(%rip), %rbp
        mov     risu_box+56(%rip), %rsi
        mov     risu_box+64(%rip), %rdi
        mov     risu_box+72(%rip), %r8
        mov     risu_box+80(%rip), %r9
        mov     risu_box+88(%rip), %r10
        mov     risu_box+96(%rip), %r11
        mov     risu_box+104(%rip), %r12
        mov     risu_box+112(%rip), %r13
        mov     risu_box+120(%rip), %r14
        mov     risu_box+128(%rip), %r15
        popfq
        mov     risu_box+40(%rip), %rsp
        jmp     *risu_code(%rip)
