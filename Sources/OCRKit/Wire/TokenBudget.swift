/// How many tokens a page may generate when the server's context decides (no `--max-tokens`):
/// the context minus the page image's prompt tokens, within `floor...ceiling`.
///
/// Worked out per request, from the size of the image actually sent: a page smaller than the
/// profile's render size (a small scan, a landscape page) costs fewer prompt tokens, and a
/// fixed estimate from the render size would waste the difference on every such page.
public enum TokenBudget {
  /// More than any page needs; a runaway page stops here (or at the loop guard) instead of
  /// filling a 128k context.
  public static let ceiling = 16384
  /// Below this a page is not worth asking for: the server's own limit will say so.
  public static let floor = 256
  /// The chat template, a text part and rounding: a few dozen tokens, with room to spare.
  public static let promptMargin = 256

  /// The image's prompt tokens, overestimated: one token per `tokenSide`-pixel square
  /// (rounded up), one row-break token per row, and the margin.
  public static func promptTokens(width: Int, height: Int, tokenSide: Int) -> Int {
    let side = max(tokenSide, 1)
    let columns = (max(width, 1) + side - 1) / side
    let rows = (max(height, 1) + side - 1) / side
    return (columns + 1) * rows + promptMargin
  }

  /// `max_tokens` for an image of `width` × `height` in a context of `contextTokens`.
  public static func maxTokens(contextTokens: Int, width: Int, height: Int, tokenSide: Int)
    -> Int
  {
    let left = contextTokens - promptTokens(width: width, height: height, tokenSide: tokenSide)
    return min(ceiling, max(floor, left))
  }
}
