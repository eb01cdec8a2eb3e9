/* Plain grids cut into their cells in C: for csv_grid.py and html_tables.py.
 *
 * plain_grid(text, delimiter, field_size_limit, max_cells) answers exactly what
 * csv_grid.plain_grid_by_python answers: (cells row after row, width) for a CSV the
 * csv module would read as plain splits, else None. The Python reader makes a
 * string per line and then one per cell (some 12 ms a megabyte, mostly memory
 * traffic); this checks the shape without making anything, then makes only the
 * cell strings.
 *
 * simple_table(text, start, end, max_width, max_cells) answers exactly what
 * html_tables.grid_cells_by_python answers: (stripped cell texts row after row,
 * width) when text[start:end] is whitespace and rows of the same number of plain
 * cells, else None. The Python reader proves the shape with one fullmatch and
 * takes the cells with a findall (some 18 ms a megabyte); this reads the grammar
 * once to check it and once more to make the strings.
 *
 * Any str: every character the grammars name is ASCII; Python's \s and
 * str.strip() are both Py_UNICODE_ISSPACE; no character but an ASCII letter
 * folds to t, d, h or r under re.IGNORECASE (tested over every code point), so
 * tag names fold case by one bit. Strings are made by PyUnicode_Substring, which
 * gives the canonical (narrowest) str of each cell: a wider str holding the same
 * characters would compare unequal. One-byte strings (ASCII, Latin-1) are
 * searched with memchr; wider ones (a byte-order mark makes a CSV two-byte) by a
 * loop over the characters.
 *
 * Hostile input: every read is bounded by an explicit length, nothing recurses,
 * each character is looked at a bounded number of times per pass (two passes),
 * and the only allocations are the result (at most one string per cell, and
 * never more than max_cells cells: the size is known before anything is made).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

typedef struct {
    PyObject *str;
    int kind;
    const void *data;
    Py_ssize_t length;
} Text;

static Text
text_of(PyObject *str)
{
    Text t = {str, PyUnicode_KIND(str), PyUnicode_DATA(str), PyUnicode_GET_LENGTH(str)};
    return t;
}

static Py_UCS4
at(const Text *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

/* The first ch in [from, to), or -1. One-byte text by memchr, wider text by a
 * loop over its own unit type (a read through PyUnicode_READ's switch per
 * character is some three times slower). */
#define FIND_IN(type)                                                     \
    do {                                                                  \
        const type *units = t->data;                                      \
        for (Py_ssize_t i = from; i < to; i++) {                          \
            if (units[i] == ch) {                                         \
                return i;                                                 \
            }                                                             \
        }                                                                 \
        return -1;                                                        \
    } while (0)

static Py_ssize_t
find(const Text *t, Py_UCS4 ch, Py_ssize_t from, Py_ssize_t to)
{
    if (from >= to) {
        return -1;
    }
    if (t->kind == PyUnicode_1BYTE_KIND) {
        if (ch > 0xff) {
            return -1;
        }
        const unsigned char *s = t->data;
        const unsigned char *hit = memchr(s + from, (int)ch, (size_t)(to - from));
        return hit == NULL ? -1 : hit - s;
    }
    if (t->kind == PyUnicode_2BYTE_KIND) {
        FIND_IN(Py_UCS2);
    }
    FIND_IN(Py_UCS4);
}

/* How many of [from, to) are ch. One-byte text eight bytes at a time (a plain loop
 * is not vectorised at -O2, and this is most of the CSV shape test): a byte of
 * x = word ^ (ch * ONES) is zero where the word holds ch, and
 * ~(((x & 0x7f..) + 0x7f..) | x | 0x7f..) has 0x80 in exactly those bytes (no
 * carry crosses a byte). */
#define COUNT_IN(type)                                                    \
    do {                                                                  \
        const type *units = t->data;                                      \
        for (; i < to; i++) {                                             \
            k += units[i] == ch;                                          \
        }                                                                 \
        return k;                                                         \
    } while (0)

static Py_ssize_t
count(const Text *t, Py_UCS4 ch, Py_ssize_t from, Py_ssize_t to)
{
    Py_ssize_t k = 0, i = from;
    if (t->kind == PyUnicode_1BYTE_KIND) {
        if (ch > 0xff) {
            return 0;
        }
        const unsigned char *s = t->data;
        const uint64_t ones = 0x0101010101010101u, lows = 0x7f7f7f7f7f7f7f7fu;
        const uint64_t pattern = ones * ch;
        for (; i + 8 <= to; i += 8) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            uint64_t x = word ^ pattern;
            uint64_t zero = ~(((x & lows) + lows) | x | lows);
            k += (Py_ssize_t)(((zero >> 7) * ones) >> 56);
        }
        COUNT_IN(unsigned char);
    }
    if (t->kind == PyUnicode_2BYTE_KIND) {
        COUNT_IN(Py_UCS2);
    }
    COUNT_IN(Py_UCS4);
}

/* Python's \s and str.strip(): on ASCII \t \n \v \f \r, \x1c-\x1f and the space. */
static int
is_space(Py_UCS4 c)
{
    return Py_UNICODE_ISSPACE(c);
}

/* An ASCII letter in lower case; c | 0x20 is a lower-case letter only for that
 * letter's two cases (every other character is never compared with a letter's). */
static Py_UCS4
folded(Py_UCS4 c)
{
    return c | 0x20;
}

/* ---- CSV ---------------------------------------------------------------- */

/* The end of the line that starts at pos, and where the next one starts (past
 * its line break), in a text whose lines end in "\n", or in "\r\n" when crlf.
 * The end is -1 when the line breaks the crlf rule: a "\r" not followed by "\n",
 * or a "\n" without its "\r". */
static Py_ssize_t
line_end(const Text *t, Py_ssize_t pos, int crlf, Py_ssize_t *next)
{
    Py_ssize_t nl = find(t, '\n', pos, t->length);
    Py_ssize_t stop = nl < 0 ? t->length : nl;
    *next = stop + 1;
    if (crlf) {
        if (nl >= 0) {
            if (stop == pos || at(t, stop - 1) != '\r') {
                return -1;
            }
            stop--;
        }
        if (find(t, '\r', pos, stop) >= 0) {
            return -1;
        }
    }
    return stop;
}

static PyObject *
plain_grid(PyObject *module, PyObject *args)
{
    PyObject *text, *delimiter;
    Py_ssize_t limit, max_cells;
    if (!PyArg_ParseTuple(args, "UUnn:plain_grid", &text, &delimiter, &limit, &max_cells)) {
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(delimiter) != 1) {
        PyErr_SetString(PyExc_ValueError, "the delimiter must be one character");
        return NULL;
    }
    const Py_UCS4 d = PyUnicode_READ_CHAR(delimiter, 0);
    const Text t = text_of(text);
    const Py_ssize_t n = t.length;

    if (n == 0 || find(&t, '"', 0, n) >= 0 || find(&t, '\0', 0, n) >= 0) {
        Py_RETURN_NONE;
    }
    /* A carriage return anywhere: every line must end in "\r\n" (a lone "\r" or
     * "\n" beside them ends a row too). Without one, lines end in "\n". */
    const int crlf = find(&t, '\r', 0, n) >= 0;

    /* Pass 1: the shape, and how many cells it has; nothing is made. The body is
     * the text without its last line break (which ends the last row). */
    Py_ssize_t body = n, lines = 0, delimiters = -1, longest = 0, pos = 0, next;
    while (pos < n) {
        Py_ssize_t end = line_end(&t, pos, crlf, &next);
        if (end < 0) {
            Py_RETURN_NONE;
        }
        if (next >= n) {
            body = end;  /* the last line: what follows it is its line break, if any */
        }
        if (end == pos) {
            Py_RETURN_NONE;  /* an empty line is an empty row to the csv module */
        }
        Py_ssize_t k = count(&t, d, pos, end);
        if (delimiters >= 0 && k != delimiters) {
            Py_RETURN_NONE;
        }
        delimiters = k;
        if (end - pos > longest) {
            longest = end - pos;
        }
        lines++;
        pos = next;
    }
    if (body > limit && longest > limit) {
        Py_RETURN_NONE;  /* a field may be past the csv module's limit */
    }
    /* lines * width = delimiters + lines <= body + 1: no overflow. */
    const Py_ssize_t width = delimiters + 1, cells = lines * width;
    if (cells > max_cells) {
        Py_RETURN_NONE;
    }

    /* Pass 2: the cell strings, row after row. */
    PyObject *out = PyList_New(cells);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t made = 0;
    pos = 0;
    while (made < cells) {
        Py_ssize_t end = line_end(&t, pos, crlf, &next), cell = pos;
        for (Py_ssize_t c = 0; c < width; c++) {
            Py_ssize_t found = c + 1 < width ? find(&t, d, cell, end) : -1;
            Py_ssize_t cell_end = found < 0 ? end : found;
            PyObject *value = PyUnicode_Substring(text, cell, cell_end);
            if (value == NULL) {
                Py_DECREF(out);
                return NULL;
            }
            PyList_SET_ITEM(out, made++, value);
            cell = cell_end + 1;
        }
        pos = next;
    }
    return Py_BuildValue("(Nn)", out, width);
}

/* ---- HTML --------------------------------------------------------------- */

/* <tr(?:\s[^<>]*+)?>  (cell == 0)  or  <t[dh](?:\s[^<>]*+)?>  (cell == 1) at i:
 * the position after it, or -1. */
static Py_ssize_t
opening_tag(const Text *t, Py_ssize_t i, Py_ssize_t end, int cell)
{
    if (end - i < 4 || at(t, i) != '<' || folded(at(t, i + 1)) != 't') {
        return -1;
    }
    Py_UCS4 c = folded(at(t, i + 2));
    if (cell ? c != 'd' && c != 'h' : c != 'r') {
        return -1;
    }
    i += 3;
    if (is_space(at(t, i))) {  /* attributes: up to the next "<" or ">" */
        i++;
        while (i < end && at(t, i) != '<' && at(t, i) != '>') {
            i++;
        }
    }
    return i < end && at(t, i) == '>' ? i + 1 : -1;
}

/* </t?> where ? is r (cell == 0) or d / h (cell == 1), exactly, at i. */
static int
closing_tag(const Text *t, Py_ssize_t i, Py_ssize_t end, int cell)
{
    if (end - i < 5 || at(t, i) != '<' || at(t, i + 1) != '/' || folded(at(t, i + 2)) != 't'
        || at(t, i + 4) != '>') {
        return 0;
    }
    Py_UCS4 c = folded(at(t, i + 3));
    return cell ? c == 'd' || c == 'h' : c == 'r';
}

static Py_ssize_t
after_spaces(const Text *t, Py_ssize_t i, Py_ssize_t end)
{
    while (i < end && is_space(at(t, i))) {
        i++;
    }
    return i;
}

static int
starts_cell(const Text *t, Py_ssize_t i, Py_ssize_t end)
{
    if (end - i < 3 || at(t, i) != '<' || folded(at(t, i + 1)) != 't') {
        return 0;
    }
    Py_UCS4 c = folded(at(t, i + 2));
    return c == 'd' || c == 'h';
}

/* Reads text[start:end] as
 *     \s*+ ( <tr…> \s*+ ( <t[dh]…> [^<]*+ </t[dh]> \s*+ ){width} </tr> \s*+ )++
 * with width the first row's number of cells, 1 <= width <= max_width, and at
 * most max_cells cells in all. 1 when it is such a grid (*width and *rows set),
 * 0 when not, -1 with an exception set. With table != NULL (a list of
 * *rows x *width items, from a first call), the stripped cell texts are stored. */
static int
read_grid(const Text *t, Py_ssize_t start, Py_ssize_t end, Py_ssize_t max_width,
          Py_ssize_t max_cells, Py_ssize_t *width, Py_ssize_t *rows, PyObject *table)
{
    Py_ssize_t i = after_spaces(t, start, end), cells = 0, row = 0, known = -1;
    do {
        i = opening_tag(t, i, end, 0);
        if (i < 0) {
            return 0;
        }
        i = after_spaces(t, i, end);
        Py_ssize_t in_row = 0;
        while (starts_cell(t, i, end)) {
            i = opening_tag(t, i, end, 1);
            if (i < 0) {
                return 0;
            }
            Py_ssize_t a = i, b = find(t, '<', i, end);  /* the cell's text: [^<]*+ */
            if (b < 0 || !closing_tag(t, b, end, 1)) {
                return 0;
            }
            i = after_spaces(t, b + 5, end);
            if (++in_row > (known < 0 ? max_width : known) || ++cells > max_cells) {
                return 0;
            }
            if (table != NULL) {
                while (a < b && is_space(at(t, a))) {
                    a++;
                }
                while (b > a && is_space(at(t, b - 1))) {
                    b--;
                }
                PyObject *value = PyUnicode_Substring(t->str, a, b);
                if (value == NULL) {
                    return -1;
                }
                PyList_SET_ITEM(table, cells - 1, value);
            }
        }
        if (!closing_tag(t, i, end, 0)) {
            return 0;
        }
        i = after_spaces(t, i + 5, end);
        if (known < 0) {
            if (in_row == 0) {
                return 0;
            }
            known = in_row;
        }
        else if (in_row != known) {
            return 0;
        }
        row++;
    } while (i < end);
    *width = known;
    *rows = row;
    return 1;
}

static PyObject *
simple_table(PyObject *module, PyObject *args)
{
    PyObject *text;
    Py_ssize_t start, end, max_width, max_cells, width, rows;
    if (!PyArg_ParseTuple(args, "Unnnn:simple_table", &text, &start, &end, &max_width,
                          &max_cells)) {
        return NULL;
    }
    if (start < 0 || start > end || end > PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "need 0 <= start <= end <= len(text)");
        return NULL;
    }
    const Text t = text_of(text);
    if (read_grid(&t, start, end, max_width, max_cells, &width, &rows, NULL) != 1) {
        Py_RETURN_NONE;
    }
    PyObject *table = PyList_New(rows * width);  /* rows * width <= max_cells */
    if (table == NULL) {
        return NULL;
    }
    /* The same text read again: it is a grid of rows x width cells. */
    if (read_grid(&t, start, end, max_width, max_cells, &width, &rows, table) != 1) {
        Py_DECREF(table);
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "simple_table: the second reading differs");
        }
        return NULL;
    }
    return Py_BuildValue("(Nn)", table, width);
}

/* Whether text[start:end] holds "span" in any case, as re.compile("span", re.I)
 * finds it: s, S or the long s (U+017F, which folds to s), then p, a, n in either
 * case. A colspan or rowspan means the grid needs laying out; on a page that is
 * not ASCII the pattern reads some 10 ms a megabyte. */
static PyObject *
holds_span(PyObject *module, PyObject *args)
{
    PyObject *text;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "Unn:holds_span", &text, &start, &end)) {
        return NULL;
    }
    if (start < 0 || start > end || end > PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "need 0 <= start <= end <= len(text)");
        return NULL;
    }
    const Text t = text_of(text);
    for (Py_ssize_t i = start; i + 4 <= end; i++) {
        Py_UCS4 c = at(&t, i);
        if ((folded(c) == 's' || c == 0x17f) && folded(at(&t, i + 1)) == 'p'
            && folded(at(&t, i + 2)) == 'a' && folded(at(&t, i + 3)) == 'n') {
            Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

static PyMethodDef methods[] = {
    {"plain_grid", plain_grid, METH_VARARGS,
     "plain_grid(text, delimiter, field_size_limit, max_cells) -> (cells, width) | None\n\n"
     "The cells of a CSV read as plain splits, row after row, and the width;\n"
     "None where csv_grid.plain_grid_by_python gives None."},
    {"simple_table", simple_table, METH_VARARGS,
     "simple_table(text, start, end, max_width, max_cells) -> (cells, width) | None\n\n"
     "The stripped cell texts of a plain HTML grid in text[start:end], row after\n"
     "row, and its width; None where html_tables.grid_cells_by_python gives None."},
    {"holds_span", holds_span, METH_VARARGS,
     "holds_span(text, start, end) -> bool\n\n"
     "Whether text[start:end] holds \"span\" in any case (re.IGNORECASE)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_grids",
    "Plain CSV and HTML grids cut into cells (see csv_grid.py and html_tables.py).",
    0, methods,
};

PyMODINIT_FUNC
PyInit__grids(void)
{
    return PyModule_Create(&module);
}
