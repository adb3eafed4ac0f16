package io.elapse.pipeline.learner;

import io.elapse.model.EntityState;
import io.elapse.pipeline.records.EntityInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entity's learner state apart from its buffered events, kept as one keyed value so that an
 * event costs one state lookup instead of one per part: the model's {@link EntityState}, the {@link
 * EntityBook} of event ids, labels waiting for their event, and elapsed times waiting for their
 * event. Serialized by {@link EntityRecordSerializer}.
 *
 * <p>On the heap backend the record is the live state object: the operator mutates it in place and
 * writes it back with {@code update}, which the RocksDB backend needs and the heap one tolerates.
 */
final class EntityRecord {

  /** The model's state; null until the entity's first event is processed. */
  EntityState model;

  /** Event ids of the window; null until the entity's first event is processed. */
  EntityBook book;

  /** Labels that arrived before their event, in arrival order. */
  final List<EntityInput> pendingLabels;

  /** Elapsed times from the elapsed stream waiting for their event, by event id, arrival order. */
  final Map<String, EntityInput> elapsedByEvent;

  EntityRecord() {
    this(null, null, new ArrayList<>(), new LinkedHashMap<>());
  }

  EntityRecord(
      EntityState model,
      EntityBook book,
      List<EntityInput> pendingLabels,
      Map<String, EntityInput> elapsedByEvent) {
    this.model = model;
    this.book = book;
    this.pendingLabels = pendingLabels;
    this.elapsedByEvent = elapsedByEvent;
  }

  /** Whether nothing waits in the record (no pending label, no elapsed time). */
  boolean nothingWaits() {
    return pendingLabels.isEmpty() && elapsedByEvent.isEmpty();
  }

  /**
   * A copy that shares nothing mutable with this one. Inputs are shared: the operator never changes
   * an {@link EntityInput} after decoding it.
   */
  EntityRecord copy() {
    return new EntityRecord(
        model == null ? null : model.copy(),
        book == null ? null : book.copy(),
        new ArrayList<>(pendingLabels),
        new LinkedHashMap<>(elapsedByEvent));
  }
}
