#define _GNU_SOURCE 1
#include "cncurses.h"
#include <fcntl.h>
#include <wchar.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <ncursesw/term.h>

int cncurses_terminal_colors(void) {
  int error = 0;
  if (setupterm(NULL, 1, &error) != OK) return -2;
  int colors = tigetnum("colors");
  del_curterm(cur_term);
  return colors;
}

// The SIGWINCH self-pipe. Process-wide by nature (a signal disposition is), so it lives here,
// written only by install/uninstall on the UI thread and read by the handler.
static volatile sig_atomic_t winch_fd = -1;
static struct sigaction previous_winch;
static int winch_installed = 0;

static void on_winch(int signal_number) {
  (void)signal_number;
  int saved = errno;
  int fd = winch_fd;
  if (fd >= 0) {
    char byte = 1;
    // Non-blocking: a full pipe already holds a pending wake-up.
    (void)!write(fd, &byte, 1);
  }
  errno = saved;
}

int cncurses_winch_install(int write_fd) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = on_winch;
  action.sa_flags = SA_RESTART;
  winch_fd = write_fd;
  struct sigaction previous;
  if (sigaction(SIGWINCH, &action, &previous) != 0) {
    winch_fd = -1;
    return -1;
  }
  if (!winch_installed) previous_winch = previous;
  winch_installed = 1;
  return 0;
}

void cncurses_winch_uninstall(void) {
  if (!winch_installed) return;
  sigaction(SIGWINCH, &previous_winch, NULL);
  winch_installed = 0;
  winch_fd = -1;
}

static const int caught_signals[3] = {SIGINT, SIGTERM, SIGTSTP};
static struct sigaction before_newterm[3];
static struct sigaction after_newterm[3];

void cncurses_signals_save(void) {
  for (int i = 0; i < 3; i++) sigaction(caught_signals[i], NULL, &before_newterm[i]);
}

void cncurses_signals_note(void) {
  for (int i = 0; i < 3; i++) sigaction(caught_signals[i], NULL, &after_newterm[i]);
}

void cncurses_signals_restore(void) {
  for (int i = 0; i < 3; i++) {
    struct sigaction now;
    if (sigaction(caught_signals[i], NULL, &now) != 0) continue;
    if (now.sa_handler == after_newterm[i].sa_handler
        && after_newterm[i].sa_handler != before_newterm[i].sa_handler) {
      sigaction(caught_signals[i], &before_newterm[i], NULL);
    }
  }
}

// (term.h defines `lines` and `columns` as macros: avoid those names below it.)
int cncurses_window_size(int fd, int *rows_out, int *columns_out) {
  struct winsize size;
  if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
  *rows_out = size.ws_row;
  *columns_out = size.ws_col;
  return 0;
}

int cncurses_wcwidth(wchar_t character) { return wcwidth(character); }

int cncurses_pipe(int fds[2]) {
  if (pipe(fds) != 0) return -1;
  for (int i = 0; i < 2; i++) {
    fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    fcntl(fds[i], F_SETFD, FD_CLOEXEC);
  }
  return 0;
}
