"""The weekly chart's geometry: stacked Yes/No bars, drawn as SVG by the admin template."""

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 40, 190, 16


def weekly_chart(weeks: list[dict]) -> dict:
    """Bars for `weeks` ({start, yes, no} each): positions in SVG units, y-axis ticks."""
    highest = max((week["yes"] + week["no"] for week in weeks), default=0)
    scale_top = max(1, highest)
    plot_height = BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(1, len(weeks))
    bars = []
    for index, week in enumerate(weeks):
        yes_h = plot_height * week["yes"] / scale_top
        no_h = plot_height * week["no"] / scale_top
        x = LEFT + index * slot + slot * 0.15
        bars.append(
            {
                "start": week["start"],
                "yes": week["yes"],
                "no": week["no"],
                "x": round(x, 1),
                "width": round(slot * 0.7, 1),
                "yes_y": round(BOTTOM - yes_h, 1),
                "yes_height": round(yes_h, 1),
                "no_y": round(BOTTOM - yes_h - no_h, 1),
                "no_height": round(no_h, 1),
                "label_x": round(x + slot * 0.35, 1),
            }
        )
    ticks = sorted({0, scale_top // 2, scale_top})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": BOTTOM,
        "label_y": BOTTOM + 18,
        "bars": bars,
        "ticks": [{"value": t, "y": round(BOTTOM - plot_height * t / scale_top, 1)} for t in ticks],
    }
