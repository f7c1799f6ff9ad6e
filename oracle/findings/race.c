/*
 * race.c: race programs for the daxmc findings (static, run as root in the
 * guest, cwd = the XFS -o dax=always mount).  Output lines start with "RACE ".
 *
 *   race deadlock SECONDS NFAULTERS METHOD
 *       Finding 1.  A = 1 page of data, B = FICLONE(A).  NFAULTERS late-kill
 *       processes loop { read-fault A or B page 0; MADV_DONTNEED } while one
 *       process loops writing the pfn to corrupt-pfn / hard_offline_page
 *       (METHOD corrupt|hard|both).  Every loop reports progress; the parent
 *       reports which children did not finish by the deadline.
 *
 *   race unlock ITERS NMAPPERS NMAPS MAXDELAY_US ORDER SWEEP
 *       Finding 2.  Per iteration fresh A_i (1 page) and B_i: ORDER "pre"
 *       faults A_i in NMAPPERS early-kill processes (each with NMAPS VMAs of
 *       A_i, to lengthen collect_procs) and then FICLONEs A_i -> B_i; "post"
 *       clones first, then faults A_i.  Either way page->mapping names A_i.
 *       Then a child read-faults B_i page 0 DELAY us after an injector child
 *       starts writing the pfn to corrupt-pfn.  SWEEP "rand": DELAY uniform in
 *       [0, MAXDELAY_US]; "down": from MAXDELAY_US down to 0 in ITERS steps;
 *       "fixed": always MAXDELAY_US.
 *       After each iteration a fresh process read-faults A_i page 0 again (a
 *       leaked lock on A_i's entry makes it hang) with a deadline.
 *
 *   race cowbad NFILES
 *       Finding 3.  A = 1 page, B = FICLONE(A); A's block is added to
 *       /sys/block/pmem0/badblocks; a child write-faults B page 0 (CoW whose
 *       copy from the bad source fails).  Then NFILES new 1-page files C_j are
 *       written (one of them may get the cancelled CoW block) and read-faulted
 *       (mmap), each pfn printed, then B is read-faulted and truncated.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	printf("RACE error %s errno=%d (%s)\n", what, errno, strerror(errno));
	fflush(stdout);
	exit(2);
}

static void write_page_file(const char *path, int byte)
{
	char buf[PG];
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		die("open");
	memset(buf, byte, PG);
	if (write(fd, buf, PG) != PG)
		die("write");
	if (fsync(fd))
		die("fsync");
	close(fd);
}

static void clone_file(const char *src, const char *dst)
{
	int s = open(src, O_RDONLY), d = open(dst, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (s < 0 || d < 0)
		die("open-clone");
	if (ioctl(d, FICLONE, s))
		die("FICLONE");
	fsync(d);
	close(s);
	close(d);
}

static volatile char *map_file(const char *path, int prot)
{
	int fd = open(path, O_RDWR);
	if (fd < 0)
		die("open-map");
	void *p = mmap(NULL, PG, prot, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	close(fd);
	return p;
}

static uint64_t pfn_of(volatile char *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return 0;
	pread(fd, &e, 8, ((uintptr_t)p / PG) * 8);
	close(fd);
	if (!(e & (1ULL << 63)))
		return 0;
	return e & ((1ULL << 55) - 1);
}

static int64_t phys_of(const char *path)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent ext[4];
	} f;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	memset(&f, 0, sizeof(f));
	f.fm.fm_length = ~0ULL;
	f.fm.fm_extent_count = 4;
	int r = ioctl(fd, FS_IOC_FIEMAP, &f.fm);
	close(fd);
	if (r || f.fm.fm_mapped_extents == 0)
		return -1;
	return (int64_t)f.fm.fm_extents[0].fe_physical;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	int r = write(fd, s, strlen(s));
	int e = errno;
	close(fd);
	return r < 0 ? -e : 0;
}

static int inject(const char *method, uint64_t pfn)
{
	char buf[64];
	if (!strcmp(method, "hard")) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)(pfn << 12));
		return write_str("/sys/devices/system/memory/hard_offline_page", buf);
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)pfn);
	return write_str("/sys/kernel/debug/hwpoison/corrupt-pfn", buf);
}

static sigjmp_buf jb;
static volatile sig_atomic_t nbus, lastcode;
static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	nbus++;
	lastcode = si->si_code;
	if (si->si_code == BUS_MCEERR_AR || si->si_code == BUS_ADRERR || si->si_code == BUS_OBJERR)
		siglongjmp(jb, 1);
}

static void bus_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
}

/* Waits for pid until the deadline; returns 1 if it exited (status in *st). */
static int wait_until(pid_t pid, double deadline, int *st)
{
	while (now() < deadline) {
		pid_t r = waitpid(pid, st, WNOHANG);
		if (r == pid)
			return 1;
		usleep(20000);
	}
	return 0;
}

static void __attribute__((unused)) describe(const char *who, int st)
{
	if (WIFEXITED(st))
		printf("RACE %s exit=%d\n", who, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("RACE %s killed-by-signal=%d\n", who, WTERMSIG(st));
}

/* ---------------------------------------------------------------- finding 1 */
static int run_deadlock(int secs, int nfaulters, const char *method)
{
	write_page_file("A", 'a');
	clone_file("A", "B");
	volatile char *pa = map_file("A", PROT_READ);
	(void)pa[0];
	uint64_t pfn = pfn_of(pa);
	munmap((void *)pa, PG);
	printf("RACE setup pfn=%#llx A=%lld B=%lld\n", (unsigned long long)pfn,
	       (long long)phys_of("A"), (long long)phys_of("B"));
	fflush(stdout);
	if (!pfn)
		die("no-pfn");

	volatile long *prog = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double end = now() + secs;
	pid_t kids[64];
	int n = 0;
	for (int i = 0; i < nfaulters && n < 63; i++) {
		pid_t p = fork();
		if (p == 0) {
			prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
			bus_handler();
			volatile char *m = map_file(i % 2 ? "B" : "A", PROT_READ);
			long k = 0;
			while (now() < end) {
				if (sigsetjmp(jb, 1) == 0)
					(void)m[0];
				madvise((void *)m, PG, MADV_DONTNEED);
				prog[1 + i] = ++k;
			}
			_exit(0);
		}
		kids[n++] = p;
	}
	pid_t inj = fork();
	if (inj == 0) {
		long k = 0, errs = 0;
		while (now() < end) {
			const char *m = method;
			if (!strcmp(method, "both"))
				m = (k & 1) ? "hard" : "corrupt";
			int r = inject(m, pfn);
			if (r)
				errs++;
			prog[0] = ++k;
		}
		printf("RACE injector done injections=%ld errors=%ld\n", k, errs);
		fflush(stdout);
		_exit(0);
	}
	kids[n++] = inj;
	/* progress report every 5 s */
	double t0 = now();
	long last[64] = {0};
	int stuck_reported = 0;
	while (now() < end + 20) {
		sleep(5);
		printf("RACE t=%.0f injections=%ld faults:", now() - t0, prog[0]);
		int moving = 0;
		for (int i = 0; i < nfaulters; i++) {
			printf(" %ld", prog[1 + i]);
			if (prog[1 + i] != last[1 + i])
				moving++;
			last[1 + i] = prog[1 + i];
		}
		int injmoving = prog[0] != last[0];
		last[0] = prog[0];
		printf(" (moving faulters=%d injector=%d)\n", moving, injmoving);
		fflush(stdout);
		if (now() < end && !injmoving && !stuck_reported) {
			printf("RACE STALL injector made no progress for 5 s at t=%.0f\n", now() - t0);
			fflush(stdout);
			stuck_reported = 1;
		}
		int alive = 0;
		for (int i = 0; i < n; i++)
			if (kids[i] && waitpid(kids[i], NULL, WNOHANG) == 0)
				alive++;
			else
				kids[i] = 0;
		if (!alive)
			break;
	}
	int alive = 0;
	for (int i = 0; i < n; i++)
		if (kids[i]) {
			alive++;
			printf("RACE still-running pid=%d (%s)\n", kids[i], i == n - 1 ? "injector" : "faulter");
		}
	printf("RACE deadlock-result %s\n", alive ? "STUCK" : "all-finished");
	fflush(stdout);
	return alive ? 3 : 0;
}

/* ---------------------------------------------------------------- finding 2 */
struct shm2 {
	volatile int go, bready, bdone;
	volatile double tgo, tinj_start, tinj_end, tb_start, tb_end;
	volatile int injrc;
	volatile uint64_t bpfn;
};

static void spin_us(double us)
{
	double t = now() + us / 1e6;
	while (now() < t)
		;
}

static int run_unlock(int iters, int nmappers, int nmaps, int maxdelay, const char *order, const char *sweep)
{
	struct shm2 *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	srand(12345);
	int hits_suspect = 0;
	for (int it = 0; it < iters; it++) {
		char a[32], b[32];
		snprintf(a, sizeof(a), "A%d", it);
		snprintf(b, sizeof(b), "B%d", it);
		write_page_file(a, 'a');
		int pre = !strcmp(order, "pre");
		if (!pre)
			clone_file(a, b);
		/* the A mappers: early-kill, NMAPS VMAs each, page 0 touched through the first */
		int pp[2];
		pipe(pp);
		pid_t mappers[64];
		for (int m = 0; m < nmappers && m < 64; m++) {
			mappers[m] = fork();
			if (mappers[m] == 0) {
				prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
				bus_handler();
				volatile char *first = NULL;
				for (int k = 0; k < nmaps; k++) {
					volatile char *q = map_file(a, PROT_READ);
					if (!first)
						first = q;
				}
				(void)first[0];
				char c = 1;
				write(pp[1], &c, 1);
				for (;;)
					pause();
			}
		}
		for (int m = 0; m < nmappers; m++) {
			char c;
			read(pp[0], &c, 1);
		}
		close(pp[0]);
		close(pp[1]);
		if (pre)
			clone_file(a, b);
		/* pfn, through a throwaway mapping of A (a read fault of an existing entry
		 * does not re-associate in 6.1; in 6.12 after the clone it would mark the
		 * page shared, so read the pfn from a mapper instead: use B's fault's pfn) */
		memset((void *)s, 0, sizeof(*s));
		double delay;
		if (!strcmp(sweep, "fixed"))
			delay = maxdelay;
		else if (!strcmp(sweep, "down"))
			delay = iters > 1 ? maxdelay * (double)(iters - 1 - it) / (iters - 1) : 0;
		else
			delay = maxdelay * (rand() / (double)RAND_MAX);
		/* we need the pfn before the B fault: take it from A's extent instead:
		 * the pfn of A's page = (pmem0 base pfn) + phys/4096; base learnt below */
		static uint64_t base = 0;
		if (!base) {
			/* first iteration: learn the base from a separate calibration file */
			write_page_file("cal", 'c');
			volatile char *c = map_file("cal", PROT_READ);
			(void)c[0];
			uint64_t pf = pfn_of(c);
			base = pf - phys_of("cal") / PG;
			printf("RACE pmem0 base pfn=%#llx\n", (unsigned long long)base);
			munmap((void *)c, PG); /* else this process is collected (current) and gets SIGBUS */
			/* warm-up: TCG translates a code path on its first run, which made
			 * the first memory_failure ~5x slower; run it a few times on the
			 * calibration page (one owner, not shared) first */
			for (int w = 0; w < 5; w++) {
				double t = now();
				int r = inject("corrupt", pf);
				printf("RACE warm-up injection %d rc=%d %.0fus\n", w, r, (now() - t) * 1e6);
			}
			unlink("cal");
		}
		uint64_t pfn = base + phys_of(a) / PG;
		pid_t bk = fork();
		if (bk == 0) {
			prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
			volatile char *q = map_file(b, PROT_READ);
			s->bready = 1;
			while (!s->go)
				;
			spin_us(delay);
			s->tb_start = now();
			(void)q[0];
			s->tb_end = now();
			s->bpfn = pfn_of(q);
			s->bdone = 1;
			_exit(0);
		}
		while (!s->bready)
			usleep(100);
		pid_t ij = fork();
		if (ij == 0) {
			s->tinj_start = now();
			s->go = 1;
			s->injrc = inject("corrupt", pfn);
			s->tinj_end = now();
			_exit(0);
		}
		int st;
		double dl = now() + 15;
		int injdone = wait_until(ij, dl, &st);
		int bdone = wait_until(bk, dl, &st);
		/* does A's entry still work?  a fresh process read-faults A page 0 */
		pid_t chk = fork();
		if (chk == 0) {
			bus_handler();
			volatile char *q = map_file(a, PROT_READ);
			if (sigsetjmp(jb, 1) == 0)
				(void)q[0];
			_exit(0);
		}
		int chkdone = wait_until(chk, now() + 10, &st);
		double t0 = s->tinj_start;
		printf("RACE it=%d delay=%.0fus pfn=%#llx bpfn=%#llx inj=[0,%.0f]us rc=%d bfault=[%.0f,%.0f]us%s%s%s\n",
		       it, delay, (unsigned long long)pfn, (unsigned long long)s->bpfn,
		       (s->tinj_end - t0) * 1e6, s->injrc,
		       (s->tb_start - t0) * 1e6, (s->tb_end - t0) * 1e6,
		       injdone ? "" : " INJECTOR-STUCK", bdone ? "" : " BFAULT-STUCK",
		       chkdone ? "" : " A-REFAULT-STUCK");
		fflush(stdout);
		for (int m = 0; m < nmappers; m++)
			kill(mappers[m], SIGKILL);
		for (int m = 0; m < nmappers; m++)
			waitpid(mappers[m], NULL, 0);
		if (!injdone || !bdone || !chkdone) {
			hits_suspect++;
			printf("RACE unlock-result STUCK at it=%d\n", it);
			fflush(stdout);
			return 3;
		}
		unlink(a);
		unlink(b);
	}
	printf("RACE unlock-result no-hang in %d iterations\n", iters);
	fflush(stdout);
	return 0;
}

/* ---------------------------------------------------------------- finding 3 */
static int run_cowbad(int nfiles)
{
	write_page_file("A", 'a');
	clone_file("A", "B");
	int64_t pa = phys_of("A"), pb = phys_of("B");
	printf("RACE setup A=%lld B=%lld (bytes on pmem0)\n", (long long)pa, (long long)pb);
	char buf[64];
	snprintf(buf, sizeof(buf), "%lld 8\n", (long long)(pa / 512));
	int r = write_str("/sys/block/pmem0/badblocks", buf);
	printf("RACE badblocks-add sector=%lld rc=%d\n", (long long)(pa / 512), r);
	fflush(stdout);
	system("echo -n 'RACE badblocks: '; cat /sys/block/pmem0/badblocks | tr '\\n' ' '; echo");
	fflush(stdout);
	/* read(2) of A should now fail (pmem_do_read / dax_iomap_rw on a bad block) */
	{
		int fd = open("A", O_RDONLY);
		char c[PG];
		ssize_t n = pread(fd, c, PG, 0);
		printf("RACE read(A)=%zd errno=%d\n", n, n < 0 ? errno : 0);
		close(fd);
	}
	/* trace the CoW staging block's life (xfs reflink events), if tracefs is there */
	r = write_str("/sys/kernel/debug/tracing/set_event", "xfs:xfs_reflink_*");
	printf("RACE trace set_event rc=%d\n", r);
	pid_t p = fork();
	if (p == 0) {
		bus_handler();
		volatile char *q = map_file("B", PROT_READ | PROT_WRITE);
		printf("RACE cow-write pid=%d\n", getpid());
		if (sigsetjmp(jb, 1) == 0) {
			q[0] = 'w';
			printf("RACE cow-write ok pfn=%#llx\n", (unsigned long long)pfn_of(q));
		} else {
			printf("RACE cow-write SIGBUS si_code=%d\n", (int)lastcode);
		}
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	printf("RACE after-cow A=%lld B=%lld\n", (long long)phys_of("A"), (long long)phys_of("B"));
	fflush(stdout);
	write_str("/sys/kernel/debug/tracing/set_event", "");
	system("echo RACE trace-after-cow; grep -v '^#' /sys/kernel/debug/tracing/trace | sed 's/^ */RACE trace /' | head -n 40");
	system("echo RACE dmesg-after-cow; dmesg | tail -n 40");
	fflush(stdout);
	/* new files: write(2), then mmap read fault */
	for (int j = 0; j < nfiles; j++) {
		char n[32];
		snprintf(n, sizeof(n), "C%d", j);
		write_page_file(n, 'c');
	}
	for (int j = 0; j < nfiles; j++) {
		char n[32];
		snprintf(n, sizeof(n), "C%d", j);
		pid_t k = fork();
		if (k == 0) {
			bus_handler();
			volatile char *q = map_file(n, PROT_READ);
			if (sigsetjmp(jb, 1) == 0) {
				(void)q[0];
				printf("RACE C%d pid=%d phys=%lld pfn=%#llx\n", j, getpid(), (long long)phys_of(n),
				       (unsigned long long)pfn_of(q));
			} else
				printf("RACE C%d phys=%lld SIGBUS\n", j, (long long)phys_of(n));
			fflush(stdout);
			_exit(0);
		}
		waitpid(k, NULL, 0);
	}
	system("echo RACE dmesg-after-C; dmesg | grep -n -A3 'cut here\\|WARNING\\|BUG\\|Oops' | head -n 80");
	/* B read fault (its stale entry; the data fork still names the bad block) */
	p = fork();
	if (p == 0) {
		bus_handler();
		volatile char *q = map_file("B", PROT_READ);
		if (sigsetjmp(jb, 1) == 0)
			printf("RACE B-read ok byte=%c pfn=%#llx\n", q[0], (unsigned long long)pfn_of(q));
		else
			printf("RACE B-read SIGBUS si_code=%d\n", (int)lastcode);
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	/* truncate B: deletes B's entry (dax_disassociate_entry of the stale page) */
	r = truncate("B", 0);
	printf("RACE truncate(B)=%d\n", r);
	r = unlink("B");
	printf("RACE unlink(B)=%d\n", r);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && !strcmp(argv[1], "deadlock"))
		return run_deadlock(atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (argc >= 8 && !strcmp(argv[1], "unlock"))
		return run_unlock(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), argv[6], argv[7]);
	if (argc >= 3 && !strcmp(argv[1], "cowbad"))
		return run_cowbad(atoi(argv[2]));
	fprintf(stderr, "usage: see the comment at the top of race.c\n");
	return 2;
}
