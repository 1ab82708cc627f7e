#ifndef CNCURSES_H
#define CNCURSES_H
// ncursesw declares its wide-character API only with NCURSES_WIDECHAR defined first.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>

static inline int cncurses_color_pair(int n) { return COLOR_PAIR(n); }
static inline int cncurses_lines(void) { return LINES; }
static inline int cncurses_cols(void) { return COLS; }
/// The terminal's colour count from terminfo, without taking over the screen (-1: none, -2: TERM unknown).
int cncurses_terminal_colors(void);
#endif
