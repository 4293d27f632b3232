"""Running heads on pages set with wide leading (textkit.layout.split_furniture): a body line is as far from the
next as a running head is from the body in single spacing, so a row is set apart only when it is further from
the body than the body's rows are from one another."""

from textkit.layout import Box, split_furniture

W, H = 595.0, 842.0  # A4, points


def line(x0, y0, x1, text, size=12.0) -> Box:
    return Box(x0, y0, x1, y0 + 11, text, size=size)


BODY = ["and Mitchell (2006) and van Rooij et al. (2007) is difficult due to the missing",
        "option in the survey. We compare the answers across countries on the basis of",
        "the 2009 wave in a companion paper, and find the same pattern in each of them.",
        "Households that hold stocks answer the questions correctly more often."]


def test_a_double_spaced_page_keeps_its_first_line_with_a_footnote_number():
    # an ECB working paper (ICDAR 2013's eu-026), set 1.5-spaced: the first line of a page, "know”.16 A
    # comparison of these responses ...", a footnote's number in it, was taken for a running head
    first = Box(75, 77, 522, 92, "know”.16 A comparison of these responses with results from earlier studies",
                size=12.0)  # as tall as the raised footnote number makes it: 9 pt above the next line, as they all are
    body = [line(75, 101 + 19.5 * i, 522, t) for i, t in enumerate(BODY)]
    kept, furniture = split_furniture([first, *body], W, H)
    assert furniture == [] and kept[0] is first


def test_a_running_head_with_a_number_over_a_single_spaced_body_is_still_furniture():
    head = line(150, 77, 450, "Optimized Table Tokenization for Table Structure Recognition 9", size=9)
    body = [line(75, 101 + 12.5 * i, 522, t, size=10) for i, t in enumerate(BODY)]
    kept, furniture = split_furniture([head, *body], W, H)
    assert furniture == [head] and kept == body
