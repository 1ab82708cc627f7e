#include "cncurses.h"
#include <ncursesw/term.h>

int cncurses_terminal_colors(void) {
  int error = 0;
  if (setupterm(NULL, 1, &error) != OK) return -2;
  int colors = tigetnum("colors");
  del_curterm(cur_term);
  return colors;
}
