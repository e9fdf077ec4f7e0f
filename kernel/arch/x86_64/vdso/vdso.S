/*
 * Salty's x86_64 vDSO: the entry points Linux's x86_64 vDSO exports, under
 * the version LINUX_2.6, each a real system call (no shared time page), so
 * a traced run shows the same calls as under qemu-x86_64, which has no vDSO.
 */
	.text

	.macro entry name, nr
	.globl __vdso_\name
	.type __vdso_\name, @function
	.weak \name
	.type \name, @function
__vdso_\name:
\name:
	.cfi_startproc
	mov $\nr, %eax
	syscall
	ret
	.cfi_endproc
	.size __vdso_\name, . - __vdso_\name
	.size \name, . - __vdso_\name
	.endm

	entry clock_gettime, 228
	entry gettimeofday, 96
	entry time, 201
	entry getcpu, 309
	entry clock_getres, 229

	.section .note.GNU-stack, "", @progbits
