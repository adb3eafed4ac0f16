package io.elapse.pipeline.learner;

/**
 * Per-entity bookkeeping next to the model's state: which event ids are in the window (with their
 * sequence numbers), hashes of ids that recently left it, and the last event time. A Flink POJO.
 */
public class EntityBook {

  /** Event ids of the window, a ring of W slots. */
  public String[] ids;

  /** Sequence number of each slot's event; -1 when empty. */
  public long[] seqs;

  /** Next slot to write in the window ring. */
  public int next;

  /** 64-bit hashes of ids that left the window, a ring of 4W slots. */
  public long[] evicted;

  /** Next slot to write in the evicted ring. */
  public int evictedNext;

  /** Event time of the last processed event; Long.MIN_VALUE before the first. */
  public long lastEventTime = Long.MIN_VALUE;

  /** For Flink's POJO serializer. */
  public EntityBook() {}

  /** An empty book for a window of {@code w} events. */
  public static EntityBook empty(int w) {
    EntityBook b = new EntityBook();
    b.ids = new String[w];
    b.seqs = new long[w];
    java.util.Arrays.fill(b.seqs, -1L);
    b.evicted = new long[4 * w];
    return b;
  }

  /** A deep copy. */
  public EntityBook copy() {
    EntityBook b = new EntityBook();
    b.ids = ids.clone();
    b.seqs = seqs.clone();
    b.next = next;
    b.evicted = evicted.clone();
    b.evictedNext = evictedNext;
    b.lastEventTime = lastEventTime;
    return b;
  }

  /** Records that event {@code id} got sequence {@code seq}, evicting the oldest id if full. */
  public void add(String id, long seq) {
    if (ids[next] != null) {
      evicted[evictedNext] = hash(ids[next]);
      evictedNext = (evictedNext + 1) % evicted.length;
    }
    ids[next] = id;
    seqs[next] = seq;
    next = (next + 1) % ids.length;
  }

  /** The sequence number of event {@code id} if it is in the window, else -1. */
  public long sequenceOf(String id) {
    for (int i = 0; i < ids.length; i++) {
      if (id.equals(ids[i])) {
        return seqs[i];
      }
    }
    return -1;
  }

  /** Whether event {@code id} recently left the window. */
  public boolean recentlyEvicted(String id) {
    long h = hash(id);
    for (long e : evicted) {
      if (e == h && h != 0) {
        return true;
      }
    }
    return false;
  }

  /** A 64-bit FNV-1a hash of the id (0 is reserved for empty slots). */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    return h == 0 ? 1 : h;
  }
}
