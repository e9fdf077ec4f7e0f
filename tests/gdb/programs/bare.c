/* A bare-metal image for gdb on salty boot -S and qemu-system-aarch64 -S:
   MMU off at EL1, a stack of its own, a global to watch, then PSCI SYSTEM_OFF. */

__asm__(".section .text.entry, \"ax\"\n"
	".global _start\n"
	"_start:\n"
	"  ldr x1, =stack_top\n"
	"  mov sp, x1\n"
	"  bl main\n"
	"1: b 1b\n");

static char stack[4096] __attribute__((aligned(16)));
char *stack_top = stack + sizeof stack;
volatile unsigned long total;
static const char message[] = "bare metal\n";

static void put(char c)
{
	*(volatile unsigned int *)0x09000000UL = (unsigned char)c;
}

static unsigned long add(unsigned long n)
{
	total += n;
	return total;
}

int main(void)
{
	for (const char *p = message; *p != 0; p++)
		put(*p);
	for (unsigned long i = 1; i <= 4; i++)
		add(i);
	register unsigned long x0 __asm__("x0") = 0x84000008UL; /* PSCI SYSTEM_OFF */
	__asm__ volatile("hvc #0" : "+r"(x0));
	return 0;
}
