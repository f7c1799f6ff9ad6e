/*
 * daxmc oracle helper: runs one scenario's steps inside the guest, in the
 * current directory (a filesystem mounted -o dax=always), and prints
 * machine-readable RESULT lines on stdout.
 *
 * Build: gcc -static -O1 -Wall -o helper helper.c
 * Usage: helper [FILE]        (steps from FILE, or stdin when absent)
 *
 * Step format: one step per line, words separated by blanks; '#' starts a
 * comment; blank lines are ignored.  Lines starting with `id` or `mkfs` are
 * for the guest's init (scenario name, mkfs.xfs -m options) and are skipped.
 * N is a process number 0..7, NAME a file name in the current directory.
 *
 *   file NAME [PAGES]          create NAME, write PAGES pages (default 1), fsync
 *   sparse NAME [PAGES]        create NAME as PAGES pages of hole (ftruncate),
 *                              fsync: a write fault there allocates a block
 *   clone SRC DST              DST = FICLONE of SRC (whole file), fsync
 *   proc N map NAME early|late [PAGE]
 *                              fork child N: prctl(PR_MCE_KILL, early|late),
 *                              open NAME O_RDWR, mmap MAP_SHARED one page at
 *                              page PAGE (default 0); the child then obeys steps
 *   touch N read|write         child N reads / writes its page (volatile access)
 *                              and records the pfn it maps (from pagemap)
 *   poison madvise N           child N: madvise(page, 4096, MADV_HWPOISON)
 *   poison corrupt-pfn N       write child N's recorded pfn to
 *                              /sys/kernel/debug/hwpoison/corrupt-pfn
 *   poison hard-offline N      write pfn<<12 to
 *                              /sys/devices/system/memory/hard_offline_page
 *                              (both from the parent, which maps nothing)
 *   badblock N                 a media error's badblocks entry for child N's
 *                              recorded pfn: its 8 sectors are written to
 *                              /sys/block/$DAXMC_PMEM/badblocks (default
 *                              pmem0: the device under the current
 *                              directory's filesystem; the pmem driver
 *                              then refuses DAX access to the page; no
 *                              memory_failure runs: a `poison` step does that)
 *   clone-range SRC SPAGE DST DPAGE
 *                              FICLONERANGE one page: page SPAGE of SRC onto
 *                              page DPAGE of DST (created if absent, never
 *                              truncated), fsync DST
 *   truncate NAME [BYTES]      ftruncate NAME to BYTES (default 0)
 *   punch NAME PAGE            fallocate(PUNCH_HOLE|KEEP_SIZE) one page
 *   unlink NAME                unlink NAME
 *                              (truncate, punch and unlink can wait on a
 *                              pinned page, or evict an inode: each runs in a
 *                              forked worker; see "Blocking" below)
 *   unmap N                    child N munmaps its page
 *   pin N                      child N vmsplice(2)s its page into its pin pipe
 *                              (get_user_pages: the pipe buffer holds a page
 *                              reference); the parent holds the pipe's read
 *                              end, so the reference outlives the child
 *   unpin N                    the parent drains child N's pin pipe (read(2)
 *                              releases the buffers and their page references)
 *   exit N                     child N exits (its mapping, the last reference
 *                              to its file, goes with it; children close
 *                              their fd right after mmap)
 *   sleep MS                   parent sleeps MS milliseconds
 *   check [late]               every child reports the signals it received,
 *                              then its PTE (present/swap/none from
 *                              /proc/self/pagemap); with `late`, it then reads
 *                              its page again and reports the result
 *
 * Output (one line each, key=value words; pfns are hex):
 *   RESULT step=LINENO op=...                 echo of each step before it runs
 *   RESULT proc=N mapped=ok|FAIL errno=E
 *   RESULT proc=N touch=read|write result=ok pfn=0xP
 *   RESULT proc=N touch=read|write result=SIGBUS code=BUS_MCEERR_AR
 *   RESULT proc=N madvise=0  |  RESULT proc=N madvise=-1 errno=EBUSY
 *   RESULT corrupt-pfn=0 pfn=0xP  |  RESULT corrupt-pfn=-1 errno=EBUSY pfn=0xP
 *   RESULT hard-offline=0 pfn=0xP  (same form)
 *   RESULT proc=N sig=SIGBUS code=BUS_MCEERR_AO addr=match|other lsb=12
 *   RESULT proc=N pte=present pfn=0xP | pte=swap | pte=none
 *   RESULT proc=N late=read result=ok | result=SIGBUS code=...
 *   RESULT proc=N died=SIGKILL | died=exit:S | died=hung   (child gone or silent)
 *   RESULT sparse=0  |  RESULT sparse=-1 errno=E
 *   RESULT badblock=0 pfn=0xP sector=S  |  RESULT badblock=-1 errno=E ...
 *   RESULT clone-range=0  |  RESULT clone-range=-1 errno=E
 *   RESULT proc=N pin=ok  |  RESULT proc=N pin=FAIL errno=E
 *   RESULT proc=N unpin=ok
 *   RESULT proc=N exited=ok  (or a died= line when it did not exit with 0)
 *   RESULT op=OP blocked=1 step=LINENO wchan=W  OP (truncate, punch, unlink,
 *                                              exit) still running after BLOCK_MS
 *   RESULT op=OP done-late=1 step=LINENO WHAT  a blocked OP finished; WHAT is its
 *                                              usual result (truncate=0, ...,
 *                                              proc=N exited=ok)
 *   RESULT op=OP still-blocked=1 step=LINENO   at the end of the script, after
 *                                              END_WAIT_MS more; the worker is
 *                                              then killed (the waits are
 *                                              TASK_INTERRUPTIBLE)
 *   RESULT error=...                           a step the helper could not do
 *   RESULT done
 *
 * Blocking: truncate, punch, unlink and exit run in a process of their own
 * (a forked worker; for exit, the child).  The parent waits up to BLOCK_MS:
 * if it finished, the usual line is printed; if not, `op=OP blocked=1`, and
 * the script goes on.  Finished blocked ops are looked for before every
 * step, and after `unpin`, `unmap` and `exit` the parent waits up to
 * BLOCK_MS for them; each prints `op=OP done-late=1` once.
 * With a blocked=1 line the blocked process's kernel stack
 * (/proc/PID/stack) is printed as `HELPER stack step=L FRAME` lines, for the
 * log only (they are not RESULT lines).
 *
 * Pitfalls handled: signals use SA_RESTART (a blocking read would otherwise
 * fail with EINTR on an AO SIGBUS); the page is accessed through a volatile
 * pointer inside a sigsetjmp window; every child has a deadline (alarm) and
 * the parent waits at most ACK_MS for any reply.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR 4
#define BUS_MCEERR_AO 5
#endif

#define PAGE 4096
#define MAXPROC 8
#define ACK_MS 20000
#define CHILD_DEADLINE_S 120
#define BLOCK_MS 2000		/* how long a step that may block is waited for */
#define END_WAIT_MS 3000	/* more waiting for blocked steps at the end */
#define MAXBLOCKED 16

static void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* one write per line so that parent and children do not interleave */
	dprintf(1, "RESULT %s\n", buf);
}

/* ---------- child side ---------- */

struct sigrec { int sig, code; void *addr; int lsb; };
static volatile sig_atomic_t nsig;
static struct sigrec sigs[32];
static volatile sig_atomic_t in_access;
static sigjmp_buf access_env;
static volatile char *page;
static int me;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int i = nsig;
	if (i < 32) {
		sigs[i].sig = sig;
		sigs[i].code = si->si_code;
		sigs[i].addr = si->si_addr;
#ifdef si_addr_lsb
		sigs[i].lsb = si->si_addr_lsb;
#else
		sigs[i].lsb = -1;
#endif
		nsig = i + 1;
	}
	if (in_access) {
		in_access = 0;
		siglongjmp(access_env, 1);
	}
}

static const char *codename(int sig, int code)
{
	static char buf[32];
	if (sig == SIGBUS) {
		switch (code) {
		case BUS_MCEERR_AR: return "BUS_MCEERR_AR";
		case BUS_MCEERR_AO: return "BUS_MCEERR_AO";
		case BUS_ADRERR: return "BUS_ADRERR";
		case BUS_ADRALN: return "BUS_ADRALN";
		case BUS_OBJERR: return "BUS_OBJERR";
		}
	}
	if (sig == SIGSEGV) {
		if (code == SEGV_MAPERR) return "SEGV_MAPERR";
		if (code == SEGV_ACCERR) return "SEGV_ACCERR";
	}
	snprintf(buf, sizeof buf, "%d", code);
	return buf;
}

/* Reads this process's pagemap entry for the page; returns the raw entry. */
static uint64_t pagemap_entry(void)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0) return 0;
	if (pread(fd, &e, 8, ((uintptr_t)page / PAGE) * 8) != 8) e = 0;
	close(fd);
	return e;
}
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_PFN(e) ((e) & ((1ULL << 55) - 1))

/* Accesses the page; returns 0, or the index+1 of the signal that stopped it. */
static int access_page(int write)
{
	int before = nsig;
	if (sigsetjmp(access_env, 1) == 0) {
		in_access = 1;
		if (write)
			page[0] = 'w';	/* a store only: reading first would take a read fault before the write fault */
		else
			(void)page[0];
		in_access = 0;
		return 0;
	}
	return nsig > before ? nsig : -1;
}

static void report_access(const char *what, const char *mode, int r)
{
	if (r == 0) {
		uint64_t e = pagemap_entry();
		out("proc=%d %s=%s result=ok pfn=0x%llx", me, what, mode,
		    (unsigned long long)PM_PFN(e));
	} else if (r > 0) {
		out("proc=%d %s=%s result=%s code=%s", me, what, mode,
		    sigs[r - 1].sig == SIGBUS ? "SIGBUS" : "SIGSEGV",
		    codename(sigs[r - 1].sig, sigs[r - 1].code));
	} else {
		out("proc=%d %s=%s result=jumped", me, what, mode);
	}
}

static int reported;	/* signals already printed by an earlier check */

static void child_check(int late)
{
	for (int i = reported; i < nsig && i < 32; i++)
		out("proc=%d sig=%s code=%s addr=%s lsb=%d", me,
		    sigs[i].sig == SIGBUS ? "SIGBUS" : sigs[i].sig == SIGSEGV ? "SIGSEGV" : "other",
		    codename(sigs[i].sig, sigs[i].code),
		    sigs[i].addr == (void *)page ? "match" : "other", sigs[i].lsb);
	reported = nsig;
	if (!page) {
		out("proc=%d pte=unmapped", me);
	} else {
		uint64_t e = pagemap_entry();
		if (e & PM_PRESENT)
			out("proc=%d pte=present pfn=0x%llx", me, (unsigned long long)PM_PFN(e));
		else if (e & PM_SWAP)
			out("proc=%d pte=swap", me);
		else
			out("proc=%d pte=none", me);
	}
	if (late && page) {
		report_access("late", "read", access_page(0));
		reported = nsig;	/* the late access's own signal is in its line */
	}
}

/* Child main loop: reads one command line per request, answers "ok\n". */
static void child(int n, const char *name, int early, long pgoff, int cmdfd, int ackfd, int pinfd)
{
	me = n;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	alarm(CHILD_DEADLINE_S);
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, early ? PR_MCE_KILL_EARLY : PR_MCE_KILL_LATE, 0, 0);
	int fd = open(name, O_RDWR);
	void *p = fd < 0 ? MAP_FAILED
		: mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pgoff * PAGE);
	if (p == MAP_FAILED) {
		out("proc=%d mapped=FAIL errno=%s", n, strerrorname_np(errno));
		page = NULL;
		if (fd >= 0) close(fd);
	} else {
		/* the mapping alone holds the file: when it goes (unmap, exit)
		 * that may be the inode's last reference */
		close(fd);
		page = p;
		out("proc=%d mapped=ok", n);
	}
	char line[256];
	FILE *in = fdopen(cmdfd, "r");
	write(ackfd, "ok\n", 3);
	while (fgets(line, sizeof line, in)) {
		char a[32] = "", b[32] = "";
		sscanf(line, "%31s %31s", a, b);
		if (!strcmp(a, "exit"))
			break;
		if (!page && strcmp(a, "check")) {
			out("proc=%d error=no-mapping op=%s", n, a);
		} else if (!strcmp(a, "touch")) {
			report_access("touch", b, access_page(!strcmp(b, "write")));
		} else if (!strcmp(a, "madvise")) {
			int r = madvise((void *)page, PAGE, MADV_HWPOISON);
			if (r == 0)
				out("proc=%d madvise=0", n);
			else
				out("proc=%d madvise=-1 errno=%s", n, strerrorname_np(errno));
		} else if (!strcmp(a, "pfn")) {
			uint64_t e = pagemap_entry();
			dprintf(ackfd, "pfn %llx\n", (unsigned long long)((e & PM_PRESENT) ? PM_PFN(e) : 0));
			continue;
		} else if (!strcmp(a, "pin")) {
			/* get_user_pages on the page; the pipe buffer keeps the
			 * reference until the parent drains the pipe */
			struct iovec iov = { (void *)page, PAGE };
			ssize_t r = vmsplice(pinfd, &iov, 1, SPLICE_F_NONBLOCK);
			if (r == PAGE)
				out("proc=%d pin=ok", n);
			else if (r < 0)
				out("proc=%d pin=FAIL errno=%s", n, strerrorname_np(errno));
			else
				out("proc=%d pin=FAIL errno=short:%zd", n, r);
		} else if (!strcmp(a, "unmap")) {
			munmap((void *)page, PAGE);
			page = NULL;
			out("proc=%d unmap=0", n);
		} else if (!strcmp(a, "check")) {
			child_check(!strcmp(b, "late"));
		}
		write(ackfd, "ok\n", 3);
	}
	_exit(0);
}

/* ---------- parent side ---------- */

struct proc { pid_t pid; int cmd, ack; int gone; unsigned long long pfn; int pinr; };
static struct proc procs[MAXPROC];

/* A step still running in a process of its own (a worker, or an exiting
 * child): its pid, the pipe its result comes on (-1 for an exit), its step. */
struct blocked { pid_t pid; int res; int step; int proc; const char *op; };
static struct blocked blocked[MAXBLOCKED];
static int nblocked;

/* In a newly forked process: closes the parent's pipes to children and
 * workers (a pin pipe's read end kept by a worker would keep the pin). */
static void close_inherited(void)
{
	for (int i = 0; i < MAXPROC; i++)
		if (procs[i].pid) {
			close(procs[i].cmd);
			close(procs[i].ack);
			if (procs[i].pinr >= 0) close(procs[i].pinr);
		}
	for (int i = 0; i < nblocked; i++)
		if (blocked[i].pid && blocked[i].res >= 0) close(blocked[i].res);
}

/* Notes child n's death if it has died (how: 0 = only if already dead,
 * 1 = wait for it, 2 = it is silent: report it hung and kill it). */
static void reap(int n, int how)
{
	int st;
	struct proc *p = &procs[n];
	if (!p->pid || p->gone) return;
	if (how == 2) {
		if (waitpid(p->pid, &st, WNOHANG) != p->pid) {
			out("proc=%d died=hung", n);
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &st, 0);
			p->gone = 1;
			return;
		}
	} else if (waitpid(p->pid, &st, how ? 0 : WNOHANG) != p->pid) {
		return;
	}
	p->gone = 1;
	if (WIFSIGNALED(st))
		out("proc=%d died=%s", n, sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else if (WEXITSTATUS(st) != 0)
		out("proc=%d died=exit:%d", n, WEXITSTATUS(st));
}

/* Sends a command to child n and waits for its reply line; 0 if answered. */
static int ask(int n, const char *cmd, char *reply, size_t len)
{
	struct proc *p = &procs[n];
	if (!p->pid || p->gone) {
		out("error=no-such-proc proc=%d", n);
		return -1;
	}
	if (cmd && dprintf(p->cmd, "%s\n", cmd) < 0) {
		reap(n, 1);
		return -1;
	}
	char buf[128];
	size_t got = 0;
	for (;;) {
		struct pollfd pf = { p->ack, POLLIN, 0 };
		int r = poll(&pf, 1, ACK_MS);
		if (r <= 0) {
			reap(n, 2);	/* reports died=hung and kills it */
			return -1;
		}
		ssize_t k = read(p->ack, buf + got, sizeof buf - 1 - got);
		if (k <= 0) {
			reap(n, 1);
			return -1;
		}
		got += k;
		buf[got] = 0;
		char *nl = strchr(buf, '\n');
		if (nl) {
			*nl = 0;
			if (reply) snprintf(reply, len, "%s", buf);
			return 0;
		}
	}
}

static int fill(const char *name, int pages)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) return -1;
	char buf[PAGE];
	for (int i = 0; i < pages; i++) {
		memset(buf, 'a' + i % 26, sizeof buf);
		if (write(fd, buf, PAGE) != PAGE) { close(fd); return -1; }
	}
	int r = fsync(fd);
	close(fd);
	return r;
}

static int writefile(const char *path, unsigned long long v)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0) return -1;
	char buf[32];
	int k = snprintf(buf, sizeof buf, "%llu\n", v);
	int r = write(fd, buf, k) == k ? 0 : -1;
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

/*
 * A media error's badblocks entry for a pfn: the pmem device's 512-byte
 * sectors of that page, written to /sys/block/PMEM/badblocks ("SECTOR 8"),
 * PMEM being $DAXMC_PMEM (default pmem0, the guest's device).
 * The device's first byte is at the physical address its namespace's
 * resource file gives (memmap=256M!1G: 0x40000000).
 */
static int add_badblock(unsigned long long pfn, unsigned long long *sector)
{
	unsigned long long start = 0;
	const char *dev = getenv("DAXMC_PMEM") ? getenv("DAXMC_PMEM") : "pmem0";
	char path[128];
	snprintf(path, sizeof path, "/sys/block/%s/device/resource", dev);
	FILE *f = fopen(path, "r");
	if (!f) return -1;
	int ok = fscanf(f, "%llx", &start) == 1;
	fclose(f);
	if (!ok || (pfn << 12) < start) { errno = ERANGE; return -1; }
	*sector = ((pfn << 12) - start) >> 9;
	snprintf(path, sizeof path, "/sys/block/%s/badblocks", dev);
	int fd = open(path, O_WRONLY);
	if (fd < 0) return -1;
	char buf[48];
	int k = snprintf(buf, sizeof buf, "%llu 8\n", *sector);
	int r = write(fd, buf, k) == k ? 0 : -1;
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Prints the usual result line of a finished op (prefix: "" when on time,
 * "op=OP done-late=1 step=L " when late).  r/err from the worker; st is
 * the wait status (of the child, for an exit). */
static void print_finished(struct blocked *b, const char *prefix, int r, int err, int st)
{
	if (b->proc >= 0) {	/* exit N */
		if (WIFSIGNALED(st))
			out("%sproc=%d died=%s", prefix, b->proc,
			    sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
		else if (WEXITSTATUS(st) != 0)
			out("%sproc=%d died=exit:%d", prefix, b->proc, WEXITSTATUS(st));
		else
			out("%sproc=%d exited=ok", prefix, b->proc);
	} else if (r == 0) {
		out("%s%s=0", prefix, b->op);
	} else {
		out("%s%s=-1 errno=%s", prefix, b->op, err > 0 ? strerrorname_np(err) : "?");
	}
}

/* If b's process has finished: reads its result, reaps it, returns 1. */
static int finished(struct blocked *b, int *r, int *err, int *st)
{
	if (waitpid(b->pid, st, WNOHANG) != b->pid)
		return 0;
	*r = -1;
	*err = 0;
	if (b->res >= 0) {
		char buf[64] = "";
		ssize_t k = read(b->res, buf, sizeof buf - 1);
		if (k <= 0 || sscanf(buf, "%d %d", r, err) != 2) {
			*r = -1;
			*err = 0;
		}
		close(b->res);
		b->res = -1;
	}
	return 1;
}

/* Prints done-late for blocked ops that finished, waiting up to ms for them;
 * returns how many are still blocked. */
static int collect_blocked(long ms)
{
	long long end = now_ms() + ms;
	for (;;) {
		int left = 0;
		for (int i = 0; i < nblocked; i++) {
			struct blocked *b = &blocked[i];
			int r, err, st;
			if (!b->pid) continue;
			if (finished(b, &r, &err, &st)) {
				char prefix[64];
				snprintf(prefix, sizeof prefix, "op=%s done-late=1 step=%d ", b->op, b->step);
				print_finished(b, prefix, r, err, st);
				b->pid = 0;
			} else {
				left++;
			}
		}
		if (!left || now_ms() >= end)
			return left;
		msleep(10);
	}
}

static const char *wchan(pid_t pid)
{
	static char buf[64];
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
	int fd = open(path, O_RDONLY);
	ssize_t k = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0) close(fd);
	if (k <= 0) return "?";
	buf[k] = 0;
	buf[strcspn(buf, " \n")] = 0;
	return buf[0] ? buf : "?";
}

/* Waits up to BLOCK_MS for b's process: prints its usual line, or
 * `op=OP blocked=1` and keeps it in the blocked table. */
static void wait_or_block(struct blocked b)
{
	long long end = now_ms() + BLOCK_MS;
	int r, err, st;
	for (;;) {
		if (finished(&b, &r, &err, &st)) {
			print_finished(&b, "", r, err, st);
			return;
		}
		if (now_ms() >= end) break;
		msleep(5);
	}
	out("op=%s blocked=1 step=%d wchan=%s", b.op, b.step, wchan(b.pid));
	/* its kernel stack, for the log only (not a RESULT line) */
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/stack", (int)b.pid);
	int fd = open(path, O_RDONLY);
	ssize_t k = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0) close(fd);
	if (k > 0) {
		buf[k] = 0;
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			dprintf(1, "HELPER stack step=%d %s\n", b.step, l);
	}
	if (nblocked < MAXBLOCKED) {
		blocked[nblocked++] = b;
	} else {
		out("error=too-many-blocked step=%d", b.step);
		kill(b.pid, SIGKILL);
		waitpid(b.pid, &st, 0);
	}
}

/* Runs a step that may block (truncate, punch, unlink) in a forked worker;
 * op is a string constant (it is kept while the step is blocked). */
static void run_worker(const char *op, int step, char w[][64], int nw)
{
	int rp[2];
	if (pipe(rp)) { out("error=pipe"); return; }
	pid_t pid = fork();
	if (pid < 0) { out("error=fork"); close(rp[0]); close(rp[1]); return; }
	if (pid == 0) {
		close(rp[0]);
		close_inherited();
		int r = -1;
		if (!strcmp(op, "truncate")) {
			int fd = open(w[1], O_RDWR);
			r = fd < 0 ? -1 : ftruncate(fd, nw > 2 ? atoll(w[2]) : 0);
		} else if (!strcmp(op, "punch")) {
			int fd = open(w[1], O_RDWR);
			r = fd < 0 ? -1 : fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
						    (off_t)atol(w[2]) * PAGE, PAGE);
		} else if (!strcmp(op, "unlink")) {
			r = unlink(w[1]);
		}
		dprintf(rp[1], "%d %d\n", r, r ? errno : 0);
		_exit(0);
	}
	close(rp[1]);
	struct blocked b = { pid, rp[0], step, -1, op };
	wait_or_block(b);
}

static int procnum(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	return (*s && !*end && n >= 0 && n < MAXPROC) ? (int)n : -1;
}

static void result_rc(const char *what, int r, const char *extra)
{
	if (r == 0)
		out("%s=0%s", what, extra);
	else
		out("%s=-1 errno=%s%s", what, strerrorname_np(errno), extra);
}

int main(int argc, char **argv)
{
	FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
	if (!in) { perror(argv[1]); return 2; }
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IONBF, 0);
	char line[256];
	int lineno = 0;
	while (fgets(line, sizeof line, in)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash) *hash = 0;
		char w[6][64];
		memset(w, 0, sizeof w);
		int nw = sscanf(line, "%63s %63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4], w[5]);
		if (nw <= 0 || !strcmp(w[0], "id") || !strcmp(w[0], "mkfs"))
			continue;
		line[strcspn(line, "\n")] = 0;
		collect_blocked(0);	/* done-late lines of ops that finished meanwhile */
		out("step=%d op=%s", lineno, w[0]);
		char extra[64];
		if (!strcmp(w[0], "file")) {
			result_rc("file", fill(w[1], nw > 2 ? atoi(w[2]) : 1), "");
		} else if (!strcmp(w[0], "sparse")) {
			int fd = open(w[1], O_CREAT | O_TRUNC | O_RDWR, 0644);
			int r = fd < 0 ? -1 : ftruncate(fd, (off_t)(nw > 2 ? atoi(w[2]) : 1) * PAGE);
			if (r == 0) r = fsync(fd);
			result_rc("sparse", r, "");
			if (fd >= 0) close(fd);
		} else if (!strcmp(w[0], "clone")) {
			int s = open(w[1], O_RDONLY);
			int d = open(w[2], O_CREAT | O_TRUNC | O_RDWR, 0644);
			int r = (s < 0 || d < 0) ? -1 : ioctl(d, FICLONE, s);
			if (r == 0) r = fsync(d);
			result_rc("clone", r, "");
			if (s >= 0) close(s);
			if (d >= 0) close(d);
		} else if (!strcmp(w[0], "clone-range")) {
			int s = open(w[1], O_RDONLY);
			int d = open(w[3], O_CREAT | O_RDWR, 0644);
			int r = -1;
			if (nw < 5)
				errno = EINVAL;
			else if (s >= 0 && d >= 0) {
				struct file_clone_range fcr = {
					.src_fd = s,
					.src_offset = (uint64_t)atoll(w[2]) * PAGE,
					.src_length = PAGE,
					.dest_offset = (uint64_t)atoll(w[4]) * PAGE,
				};
				r = ioctl(d, FICLONERANGE, &fcr);
				if (r == 0) r = fsync(d);
			}
			result_rc("clone-range", r, "");
			if (s >= 0) close(s);
			if (d >= 0) close(d);
		} else if (!strcmp(w[0], "proc") && !strcmp(w[2], "map")) {
			int n = procnum(w[1]);
			if (n < 0 || procs[n].pid) { out("error=bad-proc line=%d", lineno); continue; }
			int c[2], a[2], pp[2];
			if (pipe(c) || pipe(a) || pipe(pp)) { out("error=pipe"); continue; }
			pid_t pid = fork();
			if (pid == 0) {
				close(c[1]); close(a[0]); close(pp[0]);
				close_inherited();
				child(n, w[3], strcmp(w[4], "late") != 0, nw > 5 ? atol(w[5]) : 0, c[0], a[1], pp[1]);
			}
			close(c[0]); close(a[1]); close(pp[1]);
			fcntl(pp[0], F_SETFL, O_NONBLOCK);
			procs[n] = (struct proc){ pid, c[1], a[0], 0, 0, pp[0] };
			ask(n, NULL, NULL, 0);	/* wait for its "mapped" line */
		} else if (!strcmp(w[0], "touch")) {
			int n = procnum(w[1]);
			char cmd[96];
			snprintf(cmd, sizeof cmd, "touch %s", w[2]);
			if (n >= 0 && ask(n, cmd, NULL, 0) == 0) {
				char reply[64];
				if (ask(n, "pfn", reply, sizeof reply) == 0)
					sscanf(reply, "pfn %llx", &procs[n].pfn);
			}
		} else if (!strcmp(w[0], "poison")) {
			int n = procnum(w[2]);
			if (n < 0) { out("error=bad-proc line=%d", lineno); continue; }
			unsigned long long pfn = procs[n].pfn;
			snprintf(extra, sizeof extra, " pfn=0x%llx", pfn);
			if (!strcmp(w[1], "madvise"))
				ask(n, "madvise", NULL, 0);
			else if (!pfn)
				out("error=no-pfn proc=%d", n);
			else if (!strcmp(w[1], "corrupt-pfn"))
				result_rc("corrupt-pfn", writefile("/sys/kernel/debug/hwpoison/corrupt-pfn", pfn), extra);
			else if (!strcmp(w[1], "hard-offline"))
				result_rc("hard-offline", writefile("/sys/devices/system/memory/hard_offline_page", pfn << 12), extra);
			else
				out("error=bad-poison-method line=%d", lineno);
		} else if (!strcmp(w[0], "badblock")) {
			int n = procnum(w[1]);
			if (n < 0) { out("error=bad-proc line=%d", lineno); continue; }
			if (!procs[n].pfn) { out("error=no-pfn proc=%d", n); continue; }
			unsigned long long sector = 0;
			int r = add_badblock(procs[n].pfn, &sector);
			snprintf(extra, sizeof extra, " pfn=0x%llx sector=%llu", procs[n].pfn, sector);
			result_rc("badblock", r, extra);
		} else if (!strcmp(w[0], "truncate") || !strcmp(w[0], "punch") || !strcmp(w[0], "unlink")) {
			run_worker(!strcmp(w[0], "truncate") ? "truncate" : !strcmp(w[0], "punch") ? "punch" : "unlink",
				   lineno, w, nw);
		} else if (!strcmp(w[0], "unmap")) {
			int n = procnum(w[1]);
			if (n >= 0) ask(n, "unmap", NULL, 0);
			if (nblocked) collect_blocked(BLOCK_MS);
		} else if (!strcmp(w[0], "pin")) {
			int n = procnum(w[1]);
			if (n < 0) { out("error=bad-proc line=%d", lineno); continue; }
			ask(n, "pin", NULL, 0);
		} else if (!strcmp(w[0], "unpin")) {
			int n = procnum(w[1]);
			if (n < 0 || !procs[n].pid) { out("error=bad-proc line=%d", lineno); continue; }
			char buf[PAGE];
			while (read(procs[n].pinr, buf, sizeof buf) > 0)
				;
			out("proc=%d unpin=ok", n);
			if (nblocked) collect_blocked(BLOCK_MS);
		} else if (!strcmp(w[0], "exit")) {
			int n = procnum(w[1]);
			if (n < 0 || !procs[n].pid || procs[n].gone) { out("error=bad-proc line=%d", lineno); continue; }
			dprintf(procs[n].cmd, "exit\n");
			procs[n].gone = 1;	/* reaped by wait_or_block / collect_blocked */
			struct blocked b = { procs[n].pid, -1, lineno, n, "exit" };
			wait_or_block(b);
			if (nblocked) collect_blocked(BLOCK_MS);
		} else if (!strcmp(w[0], "sleep")) {
			msleep(atol(w[1]));
		} else if (!strcmp(w[0], "check")) {
			for (int n = 0; n < MAXPROC; n++)
				reap(n, 0);	/* report the children that died */
			for (int n = 0; n < MAXPROC; n++)
				if (procs[n].pid && !procs[n].gone)
					ask(n, !strcmp(w[1], "late") ? "check late" : "check", NULL, 0);
		} else {
			out("error=unknown-step line=%d op=%s", lineno, w[0]);
		}
	}
	/* blocked ops: a last wait, then they are reported and killed */
	if (nblocked && collect_blocked(END_WAIT_MS))
		for (int i = 0; i < nblocked; i++) {
			struct blocked *b = &blocked[i];
			if (!b->pid) continue;
			out("op=%s still-blocked=1 step=%d", b->op, b->step);
			kill(b->pid, SIGKILL);
			int st;
			waitpid(b->pid, &st, 0);
			b->pid = 0;
		}
	for (int n = 0; n < MAXPROC; n++)
		if (procs[n].pid && !procs[n].gone) {
			dprintf(procs[n].cmd, "exit\n");
			struct pollfd pf = { procs[n].ack, POLLIN, 0 };
			/* EOF when it exits; a silent child is reported hung */
			reap(n, poll(&pf, 1, ACK_MS) > 0 ? 1 : 2);
		}
	out("done");
	return 0;
}
