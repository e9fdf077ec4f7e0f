// Process entry and the state loader of risu-harness.c.
        .text
        .global _start
_start:
        mov     x0, sp
        bl      risu_main
        brk     #1

        .global risu_restorer
risu_restorer:
        mov     x8, #139            // rt_sigreturn
        svc     #0

// risu_enter(struct risu_state *x0): every register from the state, then the block.
// X30 holds the state pointer until the last load; the block is reached by a
// PC-relative branch so no register is needed for it.
        .global risu_enter
risu_enter:
        mov     x30, x0
        ldr     x0, [x30, #248]
        mov     sp, x0
        ldr     w0, [x30, #256]
        msr     nzcv, x0
        ldr     w0, [x30, #260]
        msr     fpcr, x0
        ldr     w0, [x30, #264]
        msr     fpsr, x0
        ldp     q0, q1, [x30, #272]
        ldp     q2, q3, [x30, #304]
        ldp     q4, q5, [x30, #336]
        ldp     q6, q7, [x30, #368]
        ldp     q8, q9, [x30, #400]
        ldp     q10, q11, [x30, #432]
        ldp     q12, q13, [x30, #464]
        ldp     q14, q15, [x30, #496]
        ldp     q16, q17, [x30, #528]
        ldp     q18, q19, [x30, #560]
        ldp     q20, q21, [x30, #592]
        ldp     q22, q23, [x30, #624]
        ldp     q24, q25, [x30, #656]
        ldp     q26, q27, [x30, #688]
        ldp     q28, q29, [x30, #720]
        ldp     q30, q31, [x30, #752]
        ldp     x0, x1, [x30, #0]
        ldp     x2, x3, [x30, #16]
        ldp     x4, x5, [x30, #32]
        ldp     x6, x7, [x30, #48]
        ldp     x8, x9, [x30, #64]
        ldp     x10, x11, [x30, #80]
        ldp     x12, x13, [x30, #96]
        ldp     x14, x15, [x30, #112]
        ldp     x16, x17, [x30, #128]
        ldp     x18, x19, [x30, #144]
        ldp     x20, x21, [x30, #160]
        ldp     x22, x23, [x30, #176]
        ldp     x24, x25, [x30, #192]
        ldp     x26, x27, [x30, #208]
        ldp     x28, x29, [x30, #224]
        clrex
        ldr     x30, [x30, #240]
        b       risu_code
