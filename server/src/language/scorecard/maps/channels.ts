// Edges run in channels: the empty gaps between columns and between rows,
// where no node ever sits, so a line drawn there crosses no box. Each edge
// that uses a channel gets its own track, so parallel lines stay apart; a
// channel is as wide as its tracks need.

export const CHANNEL_MARGIN = 10;
export const TRACK_SPACING = 6;

export class Channels {
  private readonly counts = new Map<number, number>();

  /** Takes the next free track in channel `index`. */
  take(index: number): number {
    const track = this.counts.get(index) ?? 0;
    this.counts.set(index, track + 1);
    return track;
  }

  /** The channel's size across: a margin each side and one spacing per track. */
  size(index: number, extra = 0): number {
    return 2 * CHANNEL_MARGIN + Math.max(1, this.counts.get(index) ?? 0) * TRACK_SPACING + extra;
  }
}

/** A track's offset from the start of its channel. */
export function trackOffset(track: number): number {
  return CHANNEL_MARGIN + track * TRACK_SPACING + TRACK_SPACING / 2;
}
