package io.elapse.model.metrics;

import java.util.Arrays;

/** Exact ROC AUC (Mann–Whitney U statistic) with ties counting one half. */
public final class Auc {

  private Auc() {}

  /**
   * AUC of {@code scores} against binary {@code labels} over the first {@code n} entries: the
   * fraction of (positive, negative) pairs where the positive scores higher, ties counting one
   * half. NaN when there is no positive or no negative. O(n log n) by sorting each class and
   * merging; the arguments are not modified.
   */
  public static double exact(double[] scores, boolean[] labels, int n) {
    if (n < 0 || n > scores.length || n > labels.length) {
      throw new IllegalArgumentException(
          "expected n in [0, "
              + Math.min(scores.length, labels.length)
              + "] (scores "
              + scores.length
              + ", labels "
              + labels.length
              + "), got "
              + n);
    }
    int positives = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i]) {
        positives++;
      }
    }
    int negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double[] pos = new double[positives];
    double[] neg = new double[negatives];
    int p = 0;
    int q = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i]) {
        pos[p++] = scores[i];
      } else {
        neg[q++] = scores[i];
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    // For each distinct positive score: negatives strictly below and equal to it.
    double wins = 0.0;
    int below = 0;
    int i = 0;
    while (i < positives) {
      double s = pos[i];
      int j = i;
      while (j < positives && pos[j] == s) {
        j++;
      }
      while (below < negatives && neg[below] < s) {
        below++;
      }
      int equal = below;
      while (equal < negatives && neg[equal] == s) {
        equal++;
      }
      wins += (j - i) * (below + 0.5 * (equal - below));
      i = j;
    }
    return wins / ((double) positives * negatives);
  }
}
