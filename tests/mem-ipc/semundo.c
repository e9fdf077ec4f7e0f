// SEM_UNDO: a process's adjustments are applied when it exits (values kept
// within [0, SEMVMX], sempid set to it), fork does not inherit them,
// SETVAL clears them, and operations without SEM_UNDO are not undone.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

union semun { int val; unsigned short *array; };

static void op(int id, int num, int delta, int flg) {
  struct sembuf b = {num, delta, flg};
  if (semop(id, &b, 1) < 0) perror("semop");
}

static void show(int id, const char *what) {
  printf("%-44s %d %d %d\n", what, semctl(id, 0, GETVAL), semctl(id, 1, GETVAL), semctl(id, 2, GETVAL));
}

int main(void) {
  int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
  unsigned short init[3] = {5, 5, 5};
  union semun arg = {.array = init};
  semctl(id, 0, SETALL, arg);
  show(id, "start");
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    op(id, 0, 3, SEM_UNDO);
    op(id, 1, -2, SEM_UNDO);
    op(id, 2, 4, 0);
    _exit(0);
  }
  waitpid(pid, 0, 0);
  show(id, "child did +3u -2u +4, exited");
  printf("sempid is the child: %d\n", semctl(id, 0, GETPID) == pid);

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    op(id, 0, -5, SEM_UNDO);
    // The adjustment would lift sem 0 back by 5; another process takes it to 30000 meanwhile.
    fflush(stdout);
    if (fork() == 0) {
      op(id, 1, 2, SEM_UNDO);
      _exit(0);
    }
    wait(0);
    _exit(0);
  }
  waitpid(pid, 0, 0);
  show(id, "child -5u, its child +2u, both exited");

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    op(id, 2, 10, SEM_UNDO);
    union semun v = {.val = 1};
    semctl(id, 2, SETVAL, v);
    _exit(0);
  }
  waitpid(pid, 0, 0);
  show(id, "child +10u then SETVAL 1");

  union semun big = {.val = 32760};
  semctl(id, 0, SETVAL, big);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    op(id, 0, -10, SEM_UNDO);
    union semun v = {.val = 32767};
    semctl(id, 1, SETVAL, v);
    op(id, 0, 5, 0);
    _exit(0);
  }
  waitpid(pid, 0, 0);
  show(id, "undo after a change without SEM_UNDO");
  semctl(id, 0, IPC_RMID);
  return 0;
}
