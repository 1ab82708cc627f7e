#ifndef CNCURSES_H
#define CNCURSES_H
// ncursesw declares its wide-character API only with NCURSES_WIDECHAR defined first.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <stdio.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

static inline int cncurses_color_pair(int n) { return COLOR_PAIR(n); }
static inline int cncurses_lines(void) { return LINES; }
static inline int cncurses_cols(void) { return COLS; }
/// The terminal's colour count from terminfo, without taking over the screen (-1: none, -2: TERM unknown).
int cncurses_terminal_colors(void);

// MARK: - Shims for the terminal adapter (macros and C globals Swift cannot use directly)

/// `stdscr`: a C global, which Swift 6 refuses to read as shared mutable state.
static inline WINDOW *cncurses_stdscr(void) { return stdscr; }
/// `COLORS` and `COLOR_PAIRS` (valid after start_color).
static inline int cncurses_colors(void) { return COLORS; }
static inline int cncurses_color_pairs(void) { return COLOR_PAIRS; }

/// `newterm(NULL, stdout, stdin)`: like initscr, but returns NULL instead of exiting the process
/// when TERM is unknown. `stdout`/`stdin` are C globals Swift 6 cannot read.
static inline SCREEN *cncurses_newterm(void) { return newterm(NULL, stdout, stdin); }

/// `fflush(stderr)`, before fd 2 is swapped.
static inline int cncurses_flush_stderr(void) { return fflush(stderr); }

static inline attr_t cncurses_a_normal(void) { return A_NORMAL; }
static inline attr_t cncurses_a_bold(void) { return A_BOLD; }
static inline attr_t cncurses_a_dim(void) { return A_DIM; }
static inline attr_t cncurses_a_reverse(void) { return A_REVERSE; }
static inline attr_t cncurses_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cncurses_a_italic(void) { return A_ITALIC; }

/// `getmaxyx(win, y, x)`.
static inline void cncurses_getmaxyx(WINDOW *win, int *y, int *x) {
  int rows, columns;
  getmaxyx(win, rows, columns);
  *y = rows;
  *x = columns;
}

/// `CCHARW_MAX`: how many wide characters one cell holds (a spacing character plus combining marks).
static inline int cncurses_ccharw_max(void) { return CCHARW_MAX; }

/// Routes SIGWINCH to a pipe: the handler writes one byte to `write_fd` (async-signal-safe), so a
/// thread waiting in poll() on the read end notices a resize even when the kernel delivers the
/// signal to another thread. ncurses installs its own SIGWINCH handler only when the disposition
/// is SIG_DFL, so after this it leaves resizes to the caller (`resizeterm`). Returns 0 or -1.
int cncurses_winch_install(int write_fd);
/// Puts back the SIGWINCH disposition saved by `cncurses_winch_install`.
void cncurses_winch_uninstall(void);

/// ncurses catches SIGINT, SIGTERM (clean up the screen, then `_exit(1)`) and SIGTSTP when their
/// disposition is SIG_DFL at `newterm`, and keeps those handlers after `delscreen`. Call
/// `cncurses_signals_save` before `newterm` and `cncurses_signals_note` right after it;
/// `cncurses_signals_restore` then puts back each disposition that ncurses changed and nobody
/// changed since.
void cncurses_signals_save(void);
void cncurses_signals_note(void);
void cncurses_signals_restore(void);

/// The terminal's size from the kernel (TIOCGWINSZ on `fd`); 0 on success, -1 if unknown.
int cncurses_window_size(int fd, int *rows, int *columns);

/// `wcwidth`: how many columns the C library (and so ncurses) gives a character in the current
/// locale; -1 if it is not printable there.
int cncurses_wcwidth(wchar_t character);

/// `pipe` with both ends non-blocking and close-on-exec; 0 or -1.
int cncurses_pipe(int fds[2]);

#ifdef __linux__
/// A non-blocking, close-on-exec eventfd for waking a thread in poll() (-1 on error).
static inline int cncurses_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
#endif
#endif
