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
 * cells, else None. The Python reader proves the shape with one fullmatch and takes the cells
 * with a findall (some 18 ms a megabyte); this reads the grammar once to check it
 * and once more to make the strings.
 *
 * Both take ASCII text only (any other str raises ValueError; the callers test
 * str.isascii(), which costs nothing, and use the Python readers otherwise): on
 * ASCII, Python's \s and str.strip() mean the same ten characters, tag names fold
 * case by one bit, and a cell is a byte range. Strings are made by
 * PyUnicode_Substring, so each is the canonical str of its text.
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

/* Python's \s, and what str.strip() removes, on ASCII: \t \n \v \f \r, the four
 * information separators \x1c-\x1f, and the space. */
static int
is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Lower case of an ASCII letter; other bytes are only ever compared with
 * letters, and c | 0x20 equals a lower-case letter only for that letter's two cases. */
static unsigned char
folded(unsigned char c)
{
    return (unsigned char)(c | 0x20);
}

static int
ascii_text(PyObject *text)
{
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "text must be ASCII (str.isascii())");
        return 0;
    }
    return 1;
}

/* ---- CSV ---------------------------------------------------------------- */

/* How many bytes of s[0:n) are c: eight at a time (a plain loop is not vectorised
 * at -O2, and this is most of the shape test). A byte of x = word ^ (c * ONES) is
 * zero where the word holds c; ((x & 0x7f..) + 0x7f..) | x has the high bit of
 * exactly the non-zero bytes set, without carries between bytes. */
static Py_ssize_t
count_byte(const unsigned char *s, Py_ssize_t n, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101u, lows = 0x7f7f7f7f7f7f7f7fu;
    const uint64_t pattern = ones * c;
    Py_ssize_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        uint64_t x = word ^ pattern;
        uint64_t zero = ~(((x & lows) + lows) | x | lows);  /* 0x80 per matching byte */
        k += (Py_ssize_t)(((zero >> 7) * ones) >> 56);
    }
    for (; i < n; i++) {
        k += s[i] == c;
    }
    return k;
}

/* The end of the line that starts at pos, and where the next one starts (past
 * its line break), in a text whose lines end in "\n", or in "\r\n" when crlf.
 * The end is -1 when the line breaks the crlf rule: a "\r" not followed by "\n",
 * or a "\n" without its "\r". */
static Py_ssize_t
line_end(const unsigned char *s, Py_ssize_t pos, Py_ssize_t n, int crlf, Py_ssize_t *next)
{
    const unsigned char *nl = memchr(s + pos, '\n', (size_t)(n - pos));
    Py_ssize_t stop = nl == NULL ? n : nl - s;
    *next = stop + 1;
    if (crlf) {
        if (nl != NULL) {
            if (stop == pos || s[stop - 1] != '\r') {
                return -1;
            }
            stop--;
        }
        if (memchr(s + pos, '\r', (size_t)(stop - pos)) != NULL) {
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
    if (!ascii_text(text)) {
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(delimiter) != 1 || !PyUnicode_IS_ASCII(delimiter)) {
        PyErr_SetString(PyExc_ValueError, "the delimiter must be one ASCII character");
        return NULL;
    }
    const unsigned char d = PyUnicode_1BYTE_DATA(delimiter)[0];
    const unsigned char *s = PyUnicode_1BYTE_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);

    if (n == 0 || memchr(s, '"', (size_t)n) != NULL || memchr(s, '\0', (size_t)n) != NULL) {
        Py_RETURN_NONE;
    }
    /* A carriage return anywhere: every line must end in "\r\n" (a lone "\r" or
     * "\n" beside them ends a row too). Without one, lines end in "\n". */
    const int crlf = memchr(s, '\r', (size_t)n) != NULL;

    /* Pass 1: the shape, and how many cells it has; nothing is made. The body is
     * the text without its last line break (which ends the last row). */
    Py_ssize_t body = n, lines = 0, delimiters = -1, longest = 0, pos = 0, next;
    while (pos < n) {
        Py_ssize_t end = line_end(s, pos, n, crlf, &next);
        if (end < 0) {
            Py_RETURN_NONE;
        }
        if (next >= n) {
            body = end;  /* the last line: what follows it is its line break, if any */
        }
        if (end == pos) {
            Py_RETURN_NONE;  /* an empty line is an empty row to the csv module */
        }
        Py_ssize_t k = count_byte(s + pos, end - pos, d);
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
    Py_ssize_t at = 0;
    pos = 0;
    while (at < cells) {
        Py_ssize_t end = line_end(s, pos, n, crlf, &next), cell = pos;
        for (Py_ssize_t c = 0; c < width; c++) {
            const unsigned char *found = c + 1 < width
                ? memchr(s + cell, d, (size_t)(end - cell)) : NULL;
            Py_ssize_t cell_end = found == NULL ? end : found - s;
            PyObject *value = PyUnicode_Substring(text, cell, cell_end);
            if (value == NULL) {
                Py_DECREF(out);
                return NULL;
            }
            PyList_SET_ITEM(out, at++, value);
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
opening_tag(const unsigned char *s, Py_ssize_t i, Py_ssize_t end, int cell)
{
    if (end - i < 4 || s[i] != '<' || folded(s[i + 1]) != 't') {
        return -1;
    }
    unsigned char c = folded(s[i + 2]);
    if (cell ? c != 'd' && c != 'h' : c != 'r') {
        return -1;
    }
    i += 3;
    if (is_space(s[i])) {  /* attributes: up to the next "<" or ">" */
        i++;
        while (i < end && s[i] != '<' && s[i] != '>') {
            i++;
        }
    }
    return i < end && s[i] == '>' ? i + 1 : -1;
}

/* </t?> where ? is r (cell == 0) or d / h (cell == 1), exactly, at i. */
static int
closing_tag(const unsigned char *s, Py_ssize_t i, Py_ssize_t end, int cell)
{
    if (end - i < 5 || s[i] != '<' || s[i + 1] != '/' || folded(s[i + 2]) != 't'
        || s[i + 4] != '>') {
        return 0;
    }
    unsigned char c = folded(s[i + 3]);
    return cell ? c == 'd' || c == 'h' : c == 'r';
}

static Py_ssize_t
after_spaces(const unsigned char *s, Py_ssize_t i, Py_ssize_t end)
{
    while (i < end && is_space(s[i])) {
        i++;
    }
    return i;
}

static int
starts_cell(const unsigned char *s, Py_ssize_t i, Py_ssize_t end)
{
    return end - i >= 3 && s[i] == '<' && folded(s[i + 1]) == 't'
           && (folded(s[i + 2]) == 'd' || folded(s[i + 2]) == 'h');
}

/* Reads text[start:end] as
 *     \s*+ ( <tr…> \s*+ ( <t[dh]…> [^<]*+ </t[dh]> \s*+ ){width} </tr> \s*+ )++
 * with width the first row's number of cells, 1 <= width <= max_width, and at
 * most max_cells cells in all. 1 when it is such a grid (*width and *rows set),
 * 0 when not, -1 with an exception set. With table != NULL (a list of
 * *rows x *width items, from a first call), the stripped cell texts are stored. */
static int
read_grid(PyObject *text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t max_width,
          Py_ssize_t max_cells, Py_ssize_t *width, Py_ssize_t *rows, PyObject *table)
{
    const unsigned char *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t i = after_spaces(s, start, end), cells = 0, row = 0, known = -1;
    do {
        i = opening_tag(s, i, end, 0);
        if (i < 0) {
            return 0;
        }
        i = after_spaces(s, i, end);
        Py_ssize_t count = 0;
        while (starts_cell(s, i, end)) {
            i = opening_tag(s, i, end, 1);
            if (i < 0) {
                return 0;
            }
            const unsigned char *lt = memchr(s + i, '<', (size_t)(end - i));
            if (lt == NULL || !closing_tag(s, lt - s, end, 1)) {
                return 0;
            }
            Py_ssize_t a = i, b = lt - s;
            i = after_spaces(s, b + 5, end);
            if (++count > (known < 0 ? max_width : known) || ++cells > max_cells) {
                return 0;
            }
            if (table != NULL) {
                while (a < b && is_space(s[a])) {
                    a++;
                }
                while (b > a && is_space(s[b - 1])) {
                    b--;
                }
                PyObject *value = PyUnicode_Substring(text, a, b);
                if (value == NULL) {
                    return -1;
                }
                PyList_SET_ITEM(table, cells - 1, value);
            }
        }
        if (!closing_tag(s, i, end, 0)) {
            return 0;
        }
        i = after_spaces(s, i + 5, end);
        if (known < 0) {
            if (count == 0) {
                return 0;
            }
            known = count;
        }
        else if (count != known) {
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
    if (!ascii_text(text)) {
        return NULL;
    }
    if (start < 0 || start > end || end > PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "need 0 <= start <= end <= len(text)");
        return NULL;
    }
    if (read_grid(text, start, end, max_width, max_cells, &width, &rows, NULL) != 1) {
        Py_RETURN_NONE;
    }
    PyObject *table = PyList_New(rows * width);  /* rows * width <= max_cells */
    if (table == NULL) {
        return NULL;
    }
    /* The same text read again: it is a grid of rows x width cells. */
    if (read_grid(text, start, end, max_width, max_cells, &width, &rows, table) != 1) {
        Py_DECREF(table);
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "simple_table: the second reading differs");
        }
        return NULL;
    }
    return Py_BuildValue("(Nn)", table, width);
}

static PyMethodDef methods[] = {
    {"plain_grid", plain_grid, METH_VARARGS,
     "plain_grid(text, delimiter, field_size_limit, max_cells) -> (cells, width) | None\n\n"
     "The cells of an ASCII CSV read as plain splits, row after row, and the width;\n"
     "None where csv_grid.plain_grid_by_python gives None."},
    {"simple_table", simple_table, METH_VARARGS,
     "simple_table(text, start, end, max_width, max_cells) -> (cells, width) | None\n\n"
     "The stripped cell texts of a plain HTML grid in text[start:end] (ASCII), row\n"
     "after row, and its width;\n"
     "None where html_tables.grid_cells_by_python gives None."},
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
