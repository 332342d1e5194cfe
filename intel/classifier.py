"""Level-1 category suggestion for citizen messages.

Model: three TF-IDF blocks -- character 1-3-grams of subject+text, jieba words of subject+text and
character 1-3-grams of the subject alone (the subject is short and dense, so giving it its own block
lets the model weight it; +1 point macro-F1 in CV). Four NB-SVMs (Wang & Manning 2012: a LinearSVC
per label on features scaled by their naive-Bayes log-count ratio) are trained, one per block and one
on all three, and a multinomial logistic regression stacked on their out-of-fold scores combines them
into probabilities. Every stage is linear, so the whole stack collapses into one weight matrix and one
intercept per label: the file is as small and a prediction as fast as a single SVM, and the reasons
come from the weights that actually produce the probability.

Evaluation: stratified 5-fold CV in which near-duplicate messages (re-posts) share a fold, so the
score is not inflated by the model having seen a copy of the test message.

Everything here is a plain function; the management commands only parse arguments and print.
"""

from __future__ import annotations

import csv
import gzip
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import jieba
import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

APP_DIR = Path(__file__).resolve().parent
MODEL_PATH = APP_DIR / "model" / "classifier.joblib"
# A copy of shared/data/teddy2020/messages_train.csv ships with the app (see data/SOURCE.txt).
TRAIN_CSV = APP_DIR / "data" / "teddy2020_messages_train.csv.gz"

# Below this top confidence the UI should ask a person to choose. Chosen from out-of-fold CV on the
# training file (table in the train report, bench/RESULTS.md): 4.3% of messages fall below 0.6 and
# their top label is right only 53.5% of the time, against 95% above; the 0.6-0.7 band is right 64% of
# the time, so 0.7 would mostly flag messages the model gets right.
LOW_CONFIDENCE_THRESHOLD = 0.6
SVM_C = 0.5  # tuned by the grouped CV (0.25 / 0.5 / 1 tried); flat around 0.5
NB_ALPHA = 1.0  # Laplace smoothing of the NB log-count ratio (0.5 and 2 scored the same in CV)
DUPLICATE_JACCARD = 0.8  # character-3-gram Jaccard at or above which two messages are one group
SEED = 0

jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO
_NON_WORD = re.compile(r"[\W_]+")
_MANY_DIGITS = re.compile(r"\d{3,}")


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float  # probability from the stacked logistic regression, normalised over the labels
    reasons: tuple[str, ...]  # up to 5 terms with the largest weight x tf-idf toward this label
    low_confidence: bool  # True when the *top* suggestion's confidence < LOW_CONFIDENCE_THRESHOLD


@dataclass(frozen=True)
class Example:
    subject: str
    text: str
    label: str


@dataclass
class TrainedModel:
    labels: tuple[str, ...]
    char_vec: TfidfVectorizer
    word_vec: TfidfVectorizer
    subject_vec: TfidfVectorizer
    # features x labels, float32, C order: the collapsed NB-SVM stack. Stored this way round because
    # sparse x @ W then reads only the rows of x's non-zeros; x @ W.T of a labels x features matrix
    # made scipy copy all 5 MB of it per call (1.2 ms of a 4 ms prediction).
    weights: np.ndarray
    intercept: np.ndarray  # per label
    meta: dict[str, Any] = field(default_factory=dict)

    def proba(self, x: sp.csr_matrix) -> np.ndarray:
        """Softmax of the stacked logistic regression, rows x labels."""
        z = np.asarray(x @ self.weights, dtype=np.float64) + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


@dataclass
class Report:
    rows: int
    groups: int
    folds: int
    fold_macro_f1: list[float] = field(default_factory=list)
    fold_accuracy: list[float] = field(default_factory=list)
    per_class: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)  # P, R, F1, n
    # threshold -> (share of messages below it, accuracy below, accuracy at or above), out-of-fold
    confidence_table: dict[float, tuple[float, float, float]] = field(default_factory=dict)
    features: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------- data


def read_examples(path: Path | str) -> list[Example]:
    """Labelled rows (subject, text, label) of a CSV or .csv.gz with those columns."""
    path = Path(path)
    opener: Callable[..., IO[str]] = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "label"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [
            Example(r.get("subject") or "", r["text"] or "", r["label"].strip())
            for r in reader
            if r["label"] and r["label"].strip()
        ]


def near_duplicate_groups(docs: Sequence[str], threshold: float = DUPLICATE_JACCARD) -> np.ndarray:
    """Group id per doc; docs whose character-3-gram sets have Jaccard >= threshold share a group
    (transitively). Exact Jaccard via a sparse product in blocks: 6k docs take ~5 s, no MinHash
    approximation needed at this size."""
    normalised = [_NON_WORD.sub("", d).lower() or "-" for d in docs]  # spacing/punctuation were lost in part
    x = CountVectorizer(analyzer="char", ngram_range=(3, 3), binary=True, dtype=np.float32).fit_transform(
        normalised
    )
    x = x.tocsr()
    sizes = np.asarray(x.sum(axis=1)).ravel()
    parent = np.arange(len(docs))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    xt = x.T.tocsc()
    for start in range(0, x.shape[0], 500):
        inter = (x[start : start + 500] @ xt).toarray()
        jac = inter / (sizes[start : start + 500, None] + sizes[None, :] - inter + 1e-9)
        for i, j in zip(*np.nonzero(jac >= threshold), strict=True):
            if start + i < j:
                parent[find(start + int(i))] = find(int(j))
    return np.array([find(i) for i in range(len(docs))])


# ---------------------------------------------------------------- features


def _words(doc: str) -> str:
    """jieba tokens joined by spaces. Tokens with 3+ digits (phone numbers, plates, ids) are dropped:
    they carry no category signal and would put personal data into the model's vocabulary."""
    return " ".join(t for t in jieba.lcut(doc) if t.strip() and not _MANY_DIGITS.search(t))


def _prepare(subjects: Sequence[str], texts: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    docs = [f"{s}。{t}" for s, t in zip(subjects, texts, strict=True)]
    return docs, [_words(d) for d in docs], list(subjects)


def _new_vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
    # min_df=5 on the big char block halves the vocabulary (model size) at no CV cost; word
    # min_df=3 keeps one-off names out. sublinear_tf: long letters should not drown the subject.
    char = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=5, dtype=np.float32)
    word = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, min_df=3, dtype=np.float32)
    subject = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, dtype=np.float32
    )
    return char, word, subject


def _features(model: TrainedModel, prepared: tuple[list[str], list[str], list[str]]) -> sp.csr_matrix:
    docs, words, subjects = prepared
    blocks = [
        model.char_vec.transform(docs),
        model.word_vec.transform(words),
        model.subject_vec.transform(subjects),
    ]
    return sp.hstack(blocks, format="csr")


def _nbsvm(x: sp.csr_matrix, y: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest NB-SVM as (weights labels x features, intercepts) on the *unscaled* features: the
    SVM sees x * r, so its weights times r score x directly."""
    present = x.copy()
    present.data[:] = 1  # the ratio counts in how many messages of a label a term occurs
    coef = np.zeros((len(labels), x.shape[1]))
    intercept = np.zeros(len(labels))
    for j, label in enumerate(labels):
        pos = y == label
        p = NB_ALPHA + np.asarray(present[pos].sum(axis=0)).ravel()
        q = NB_ALPHA + np.asarray(present[~pos].sum(axis=0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum()))
        # liblinear shuffles with a seed drawn from numpy's global state unless given one: runs differed.
        svm = LinearSVC(C=SVM_C, random_state=SEED).fit(x @ sp.diags(r), pos.astype(int))
        coef[j], intercept[j] = svm.coef_.ravel() * r, svm.intercept_[0]
    return coef, intercept


def _fit(prepared: tuple[list[str], list[str], list[str]], y: np.ndarray, groups: np.ndarray) -> TrainedModel:
    docs, words, subjects = prepared
    char, word, subject = _new_vectorizers()
    parts = [char.fit_transform(docs), word.fit_transform(words), subject.fit_transform(subjects)]
    x = sp.hstack(parts, format="csr")
    for vec in (char, word, subject):
        vec.stop_words_ = None  # the set of pruned terms: megabytes, unused by transform
    edges = np.cumsum([0] + [p.shape[1] for p in parts]).tolist()
    views = [slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)] + [slice(0, x.shape[1])]
    labels = sorted(set(y.tolist()))
    # The stacker must learn from scores on messages the NB-SVMs did not see, and those folds keep
    # near-duplicates together too, or it would learn how the SVMs score copies of their training data.
    inner = list(StratifiedGroupKFold(3, shuffle=True, random_state=SEED).split(x, y, groups))
    scores = np.zeros((len(y), len(views) * len(labels)))
    coef = np.zeros((len(views) * len(labels), x.shape[1]))
    intercept = np.zeros(len(views) * len(labels))
    for v, view in enumerate(views):
        cols = slice(v * len(labels), (v + 1) * len(labels))
        xv = x[:, view]
        for tr, te in inner:
            w, b = _nbsvm(xv[tr], y[tr], labels)
            scores[te, cols] = xv[te] @ w.T + b
        coef[cols, view], intercept[cols] = _nbsvm(xv, y, labels)
    stacker = LogisticRegression(max_iter=2000).fit(scores, y)
    # softmax(A (x W' + b) + c) = softmax(x (A W)' + (A b + c)): one linear model.
    a = stacker.coef_
    return TrainedModel(
        tuple(str(c) for c in stacker.classes_),
        char,
        word,
        subject,
        weights=np.ascontiguousarray((a @ coef).T, dtype=np.float32),  # float32 halves the file
        intercept=a @ intercept + stacker.intercept_,
    )


# ---------------------------------------------------------------- training


def train(
    examples: Sequence[Example], folds: int = 5, log: Callable[[str], None] = lambda s: None
) -> tuple[TrainedModel, Report]:
    """Grouped stratified k-fold CV (skipped when folds < 2), then a final fit on all examples."""
    t0 = time.perf_counter()
    y = np.array([e.label for e in examples])
    prepared = _prepare([e.subject for e in examples], [e.text for e in examples])
    groups = near_duplicate_groups(prepared[0])
    report = Report(rows=len(examples), groups=len(set(groups.tolist())), folds=folds)
    log(f"{len(examples)} examples, {report.groups} near-duplicate groups")
    if folds >= 2:
        oof_label = np.empty(len(y), dtype=object)
        oof_conf = np.zeros(len(y))
        splits = StratifiedGroupKFold(folds, shuffle=True, random_state=SEED).split(prepared[0], y, groups)
        for k, (tr, te) in enumerate(splits, 1):
            part = tuple([col[i] for i in tr] for col in prepared)
            held = tuple([col[i] for i in te] for col in prepared)
            m = _fit(part, y[tr], groups[tr])  # type: ignore[arg-type]
            proba = m.proba(_features(m, held))  # type: ignore[arg-type]
            oof_label[te] = np.array(m.labels)[proba.argmax(axis=1)]
            oof_conf[te] = proba.max(axis=1)
            report.fold_macro_f1.append(float(f1_score(y[te], oof_label[te], average="macro")))
            report.fold_accuracy.append(float(accuracy_score(y[te], oof_label[te])))
            log(
                f"fold {k}/{folds}: macro-F1 {report.fold_macro_f1[-1]:.4f} acc {report.fold_accuracy[-1]:.4f}"
            )
        labels = sorted(set(y.tolist()))
        p, r, f, n = precision_recall_fscore_support(y, oof_label.astype(str), labels=labels, zero_division=0)
        report.per_class = {
            lab: (float(p[i]), float(r[i]), float(f[i]), int(n[i])) for i, lab in enumerate(labels)
        }
        right = oof_label.astype(str) == y
        for t in sorted({0.4, 0.5, 0.6, 0.7, 0.8, LOW_CONFIDENCE_THRESHOLD}):
            low = oof_conf < t
            below = float(right[low].mean()) if low.any() else float("nan")
            above = float(right[~low].mean()) if (~low).any() else float("nan")
            report.confidence_table[t] = (float(low.mean()), below, above)
    model = _fit(prepared, y, groups)
    report.features = int(
        sum(len(v.vocabulary_) for v in (model.char_vec, model.word_vec, model.subject_vec))
    )
    report.seconds = time.perf_counter() - t0
    model.meta = {
        "rows": report.rows,
        "cv_macro_f1": report.fold_macro_f1,
        "trained_at": time.strftime("%Y-%m-%d"),
    }
    return model, report


def format_report(report: Report) -> str:
    lines = [
        f"examples: {report.rows} ({report.groups} near-duplicate groups, Jaccard >= {DUPLICATE_JACCARD})"
    ]
    if report.fold_macro_f1:
        f1s, accs = np.array(report.fold_macro_f1), np.array(report.fold_accuracy)
        lines += [
            f"CV: StratifiedGroupKFold({report.folds}, shuffle, seed {SEED}), near-duplicates in one fold",
            f"macro-F1 {f1s.mean():.4f} ± {f1s.std():.4f}  (folds: {', '.join(f'{v:.4f}' for v in f1s)})",
            f"accuracy {accs.mean():.4f} ± {accs.std():.4f}",
            f"{'label':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'n':>6}",
        ]
        lines += [
            f"{lab:<10} {p:9.4f} {r:7.4f} {f:7.4f} {n:6d}" for lab, (p, r, f, n) in report.per_class.items()
        ]
        for t, (share, below, above) in report.confidence_table.items():
            mark = "  <- low_confidence threshold" if t == LOW_CONFIDENCE_THRESHOLD else ""
            lines.append(
                f"top confidence < {t:.2f}: {share:6.1%} of messages, accuracy {below:.3f} vs {above:.3f}{mark}"
            )
    lines.append(f"features: {report.features}; time: {report.seconds:.1f} s")
    return "\n".join(lines)


def save_model(model: TrainedModel, path: Path | str = MODEL_PATH) -> int:
    """Write the model; returns its size in bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path, compress=("xz", 3))  # xz: ~3x smaller than the raw pickle
    return path.stat().st_size


# ---------------------------------------------------------------- inference

_cache: dict[str, tuple[TrainedModel, np.ndarray, np.ndarray]] = {}
_lock = threading.Lock()


def load_model(path: Path | str = MODEL_PATH) -> tuple[TrainedModel, np.ndarray, np.ndarray]:
    """(model, feature names, per-label weights), loaded once per process and path."""
    key = str(Path(path).resolve())
    with _lock:
        if key not in _cache:
            model: TrainedModel = joblib.load(key)
            names = np.concatenate(
                [v.get_feature_names_out() for v in (model.char_vec, model.word_vec, model.subject_vec)]
            )
            _cache[key] = (model, names, model.weights.T)
        return _cache[key]


def predict(
    subjects: Sequence[str], texts: Sequence[str], path: Path | str = MODEL_PATH
) -> tuple[tuple[str, ...], np.ndarray, sp.csr_matrix]:
    """(labels, probability matrix rows x labels, feature matrix) for a batch."""
    model, _, _ = load_model(path)
    x = _features(model, _prepare(subjects, texts))
    return model.labels, model.proba(x), x


def _reasons(row: sp.csr_matrix, weights: np.ndarray, names: np.ndarray, n: int = 5) -> tuple[str, ...]:
    values = row.data * weights[row.indices]
    # Only the strongest 40 features are looked at by name: a letter has thousands of n-grams and a
    # Python loop over all of them cost more than the prediction itself.
    top = np.argsort(-values, kind="stable")[:40]
    contrib: dict[str, float] = {}
    for i in top:
        term = str(names[row.indices[i]])
        # The same term can fire in several blocks (学校 as char 2-gram, word, subject 2-gram): sum it.
        if values[i] > 0 and _NON_WORD.sub("", term):  # punctuation-only n-grams explain nothing
            contrib[term] = contrib.get(term, 0.0) + float(values[i])
    ranked = sorted(contrib, key=lambda t: -contrib[t])
    # Single characters mostly repeat a longer term already shown (学, 校 of 学校): use them last.
    return tuple(([t for t in ranked if len(t) > 1] + [t for t in ranked if len(t) == 1])[:n])


def suggest(subject: str, text: str, k: int = 3, path: Path | str = MODEL_PATH) -> list[Suggestion]:
    """Top-k labels, most confident first. Confidences sum to <= 1 (they sum to 1 over all labels)."""
    _, names, coef = load_model(path)
    labels, proba, x = predict([subject or ""], [text or ""], path)
    order = np.argsort(-proba[0], kind="stable")[: max(k, 0)]
    low = bool(proba[0].max() < LOW_CONFIDENCE_THRESHOLD)
    return [Suggestion(labels[i], float(proba[0, i]), _reasons(x[0], coef[i], names), low) for i in order]


def classify_csv(
    src: Path | str,
    dst: Path | str,
    path: Path | str = MODEL_PATH,
    progress: Callable[[str], None] | None = None,
    batch: int = 500,
) -> int:
    """Copy CSV `src` (columns id, subject, text; subject may be empty or absent) to `dst` adding
    `label` and `confidence`. Returns the row count. Raises FileNotFoundError / ValueError."""
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(f"input file not found: {src}")
    with open(src, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        if "text" not in fields:
            raise ValueError(f"{src}: no 'text' column (found: {', '.join(fields) or 'nothing'})")
        rows = list(reader)
    out_fields = [f for f in fields if f not in ("label", "confidence")] + ["label", "confidence"]
    with open(dst, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=out_fields, extrasaction="ignore")
        writer.writeheader()
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            labels, proba, _ = predict(
                [r.get("subject") or "" for r in chunk], [r["text"] or "" for r in chunk], path
            )
            for r, p in zip(chunk, proba, strict=True):
                writer.writerow({**r, "label": labels[int(p.argmax())], "confidence": f"{p.max():.4f}"})
            if progress is not None and len(rows) > batch:  # only worth a line for large files
                progress(f"classified {min(start + batch, len(rows))}/{len(rows)}")
    return len(rows)


def examples_from_pairs(pairs: Iterable[tuple[str, str, str]]) -> list[Example]:
    """(subject, text, label) triples as Examples; used by retrain_classifier for closed matters."""
    return [Example(s or "", t or "", lab) for s, t, lab in pairs if (t or s)]
