/* useradd NAME / userdel [-r] NAME for salty's LTP sysroot (ltp-runner.mjs
 * makeSysroot): LTP's setpriority01 adds a user with the host's useradd,
 * which under salty would be an x86-64 program. These edit the guest's
 * /etc/passwd and /etc/group, which salty copies into its in-memory layer on
 * the first write: the host's files never change. useradd gives the user the
 * first free uid from 1000 and a group of its name with the same id, as
 * Debian's useradd does (USERGROUPS_ENAB); exit statuses are useradd's (9:
 * the name is taken) and userdel's (6: no such user). No /etc/shadow entry:
 * nothing here logs in. */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 4096

static int nlines;
static char *lines[MAX_LINES];

static int load(const char *path)
{
	char buf[1024];
	FILE *f = fopen(path, "r");

	nlines = 0;
	if (!f)
		return -1;
	while (nlines < MAX_LINES && fgets(buf, sizeof(buf), f))
		lines[nlines++] = strdup(buf);
	fclose(f);
	return 0;
}

static int save(const char *path, const char *skip)
{
	FILE *f = fopen(path, "w");
	size_t len = skip ? strlen(skip) : 0;

	if (!f)
		return -1;
	for (int i = 0; i < nlines; i++)
		if (!skip || strncmp(lines[i], skip, len) || lines[i][len] != ':')
			fputs(lines[i], f);
	return fclose(f);
}

/* Is name (field 0) or id (field 2) in the loaded file? */
static int taken(const char *name, long id)
{
	size_t len = strlen(name);

	for (int i = 0; i < nlines; i++) {
		char *c = strchr(lines[i], ':');
		if (name && !strncmp(lines[i], name, len) && lines[i][len] == ':')
			return 1;
		if (id >= 0 && c && (c = strchr(c + 1, ':')) && atol(c + 1) == id)
			return 1;
	}
	return 0;
}

static int add(const char *name)
{
	long id = 1000;
	FILE *f;

	if (load("/etc/passwd") || taken(name, -1))
		return 9;
	while (taken("", id))
		id++;
	if (!(f = fopen("/etc/passwd", "a")))
		return 1;
	fprintf(f, "%s:x:%ld:%ld::/home/%s:/bin/sh\n", name, id, id, name);
	fclose(f);
	if (!(f = fopen("/etc/group", "a")))
		return 10;
	fprintf(f, "%s:x:%ld:\n", name, id);
	return fclose(f) ? 10 : 0;
}

static int del(const char *name)
{
	if (load("/etc/passwd") || !taken(name, -1))
		return 6;
	if (save("/etc/passwd", name))
		return 1;
	if (!load("/etc/group") && save("/etc/group", name))
		return 10;
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = basename(argv[0]);
	const char *name = argc > 1 ? argv[argc - 1] : NULL;

	if (!name || name[0] == '-' || strchr(name, ':') || strchr(name, '\n')) {
		fprintf(stderr, "usage: %s [-r] NAME\n", cmd);
		return 2;
	}
	return !strcmp(cmd, "userdel") ? del(name) : add(name);
}
