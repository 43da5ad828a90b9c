"""Put deleted or tampered test cells back before nbgrader grades a submission.

Plain nbgrader 0.9.6 grades whatever grade cells it finds. A test cell the
student deleted, or whose nbgrader metadata they stripped (copying the notebook
through another tool does that), is simply missing: its grade stays "needs
manual grading" and exports as 0, with no reason. Changed flags (a test cell
made a solution cell, points or grade_id edited) go the same way, or make the
whole submission fail nbgrader's metadata check.

`RestoreCells` runs in `nbgrader autograde`'s sanitize step, before nbgrader's
OverwriteCells. It compares the submission with the gradebook (which cells
exist, their source) and the committed release notebook (their order, cell ids
and metadata), and:

- gives every cell whose grade_id the gradebook knows exactly the release's
  nbgrader metadata (flags, points, grade_id);
- re-adds the metadata to a cell whose nbformat cell id is a release test or
  solution cell's, when the metadata is gone;
- strips nbgrader metadata the gradebook does not know, and duplicates (keeping
  the copy with the release's cell id, else the last one, as nbgrader does);
- re-inserts a deleted test cell after the cell that precedes it in the release
  (matched by cell id or grade_id), else before the one that follows it, else at
  the end. OverwriteCells then puts the instructor's source (hidden tests
  included) in every test cell, as for any submission;
- for a notebook `autograder.plugins.broken` replaced (its file could not be read):
  takes the release's cells, so every test can carry the reason.

It starts the notebook's sidecar file (autograder.plugins.sidecar) with the broken
reason, the restored test cells and what else it repaired. After execution,
`NoteRestoredCells` puts a note as the first output of each restored test cell.
A test cell counts as restored when it was deleted, its metadata was stripped
or changed, or its visible source was edited.

Checksums: the gradebook keeps the source cell's checksum (hidden block included), while
a released test cell has that block cleared (ClearHiddenTests), so nbgrader's OverwriteCells
would log "Attribute 'checksum' ... has changed!" for every untouched test cell. A test cell
whose source is as released gets the gradebook's source here; OverwriteCells then warns
(and overwrites) only where a student really altered the cell.
"""

import copy
import uuid

from nbformat.v4 import new_code_cell, new_markdown_cell, new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.coursedir import release_notebook
from autograder.plugins.cells import (grade_id, has_nbgrader_meta, is_grade, is_locked_meta, is_test_meta,
                                      strip_hidden_tests)
from autograder.plugins.sidecar import (BROKEN_KEY, REPAIRED_KEY, empty_record, read_sidecar,
                                        resources_sidecar_path, write_sidecar)

RESTORED_NOTE = "This test cell was deleted or altered in the submission and has been restored from the gradebook."

_SEMANTIC = ("grade", "solution", "locked", "grade_id")


def _meta(cell):
    return cell.metadata["nbgrader"] if has_nbgrader_meta(cell) else None


def _semantics(meta):
    """The fields that decide how nbgrader grades a cell, comparable across notebooks."""
    out = {k: meta.get(k) for k in _SEMANTIC}
    try:
        out["points"] = float(meta["points"]) if meta.get("grade") else None
    except (TypeError, ValueError, KeyError):
        out["points"] = "invalid"
    return out


class _Reference:
    """The instructor's graded cells in release order: [(cell id or None, grade_id, nbgrader meta, cell_type)]."""

    def __init__(self, gradebook_nb, release_nb):
        self.source = {c.name: c for c in gradebook_nb.source_cells}
        points = {c.name: c.max_score for c in gradebook_nb.grade_cells}
        solutions = {c.name for c in gradebook_nb.solution_cells}
        self.cells = []  # release cells (all of them when there is a release), for positions
        if release_nb is not None:
            for cell in release_nb.cells:
                gid = grade_id(cell)
                if gid is not None and gid not in self.source:
                    gid = None
                self.cells.append((cell, gid))
        else:  # the gradebook's order, as nbgrader's own add_missing_cells assumes
            for name, src in self.source.items():
                meta = {"grade": name in points, "solution": name in solutions, "locked": src.locked,
                        "grade_id": name, "schema_version": 3}
                if name in points:
                    meta["points"] = points[name]
                maker = new_code_cell if src.cell_type == "code" else new_markdown_cell
                cell = maker(src.source, metadata={"nbgrader": meta})
                cell.pop("id", None)
                self.cells.append((cell, name))
        self.by_gid = {gid: cell for cell, gid in self.cells if gid is not None}

    def meta(self, gid):
        meta = copy.deepcopy(dict(_meta(self.by_gid[gid])))
        meta["checksum"] = self.source[gid].checksum
        meta.setdefault("schema_version", 3)
        return meta

    def new_cell(self, gid, with_id, used_ids):
        """A fresh copy of the instructor's cell: release metadata, gradebook source."""
        ref = self.by_gid[gid]
        src = self.source[gid]
        metadata = {"deletable": False, "editable": False, "nbgrader": self.meta(gid)}
        if src.cell_type == "code":
            cell = new_code_cell(src.source, metadata=metadata)
        else:
            cell = new_markdown_cell(src.source, metadata=metadata)
        if not with_id:
            cell.pop("id", None)
        elif ref.get("id") and ref["id"] not in used_ids:
            cell["id"] = ref["id"]
        else:
            cell["id"] = uuid.uuid4().hex[:8]
        return cell

    def visible_sources(self, gid):
        """Sources a submitted test cell may have without being altered."""
        ok = {self.source[gid].source.strip(), strip_hidden_tests(self.source[gid].source).strip()}
        if gid in self.by_gid:
            ok.add(self.by_gid[gid].source.strip())
        return ok


class RestoreCells(NbGraderPreprocessor):
    """Sanitize step: restore test cells and nbgrader metadata (see the module docstring)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            gradebook_nb = gb.find_notebook(info["notebook"], info["assignment"])
            ref = _Reference(gradebook_nb, release_notebook(self, info["assignment"], info["notebook"]))
            record = empty_record()
            broken = nb.metadata.get(BROKEN_KEY)
            if broken:
                record["broken"] = str(broken)
                self._replace_with_release(nb, ref)
            else:
                repaired = nb.metadata.get(REPAIRED_KEY)
                if repaired:
                    record["events"].append(str(repaired))
                self._restore(nb, ref, record)
        write_sidecar(resources_sidecar_path(self, resources), record)
        return nb, resources

    # -------------------------------------------------------------- a broken file's placeholder

    def _replace_with_release(self, nb, ref):
        with_ids = nb.nbformat_minor >= 5
        explanation = [c for c in nb.cells if c.cell_type == "markdown" and _meta(c) is None][:1]
        cells, used = [], set()
        for cell, gid in ref.cells:
            if gid is not None:
                new = ref.new_cell(gid, with_ids, used)
            else:
                new = copy.deepcopy(cell)
                if with_ids and new.get("id") in used:
                    new["id"] = uuid.uuid4().hex[:8]
                if not with_ids:
                    new.pop("id", None)
            used.add(new.get("id"))
            cells.append(new)
        nb.cells = explanation + cells

    # -------------------------------------------------------------- an ordinary submission

    def _restore(self, nb, ref, record):
        restored, events = [], record["events"]

        # 1. Metadata the gradebook does not know goes; known grade_ids are grouped.
        found = {}
        for index, cell in enumerate(nb.cells):
            if "nbgrader" not in cell.get("metadata", {}):
                continue
            gid = grade_id(cell)
            if gid is None or gid not in ref.by_gid:
                del cell.metadata["nbgrader"]
                if gid:
                    self.log.warning("Removed nbgrader metadata of unknown cell %r", gid)
                continue
            found.setdefault(gid, []).append(cell)

        # 2. Duplicates: keep the copy with the release's cell id, else the last one.
        for gid, cells in found.items():
            if len(cells) > 1:
                keep = next((c for c in cells if c.get("id") and c.get("id") == ref.by_gid[gid].get("id")), cells[-1])
                for cell in cells:
                    if cell is not keep:
                        del cell.metadata["nbgrader"]
                found[gid] = [keep]
                events.append(f"cell {gid} appeared {len(cells)} times; graded the one from the release")

        # 3. Stripped metadata: a cell with the release cell's id and no nbgrader metadata.
        for gid, ref_cell in ref.by_gid.items():
            if gid in found or not ref_cell.get("id"):
                continue
            match = next((c for c in nb.cells if c.get("id") == ref_cell["id"] and _meta(c) is None), None)
            if match is not None:
                match.metadata["nbgrader"] = ref.meta(gid)
                found[gid] = [match]
                if is_test_meta(match.metadata["nbgrader"]):
                    restored.append(gid)
                else:
                    events.append(f"restored the nbgrader metadata of cell {gid}")

        # 4. Every known cell gets the release's metadata; record what changed.
        for gid, (cell,) in found.items():
            meta = ref.meta(gid)
            theirs = _meta(cell)
            changed = _semantics(theirs) != _semantics(meta) or cell.cell_type != ref.source[gid].cell_type
            if is_test_meta(meta):
                if cell.source.strip() not in ref.visible_sources(gid):
                    changed = True
                else:
                    # As released (hidden block cleared): the gradebook's source, so that
                    # OverwriteCells' checksum matches and it warns only about altered cells.
                    cell.source = ref.source[gid].source
            cell.metadata["nbgrader"] = meta
            if changed and gid not in restored:
                if is_test_meta(meta):
                    restored.append(gid)
                else:
                    events.append(f"restored the nbgrader metadata of cell {gid}")

        # 5. Deleted test (and locked) cells go back where the release has them.
        with_ids = nb.nbformat_minor >= 5 or any("id" in c for c in nb.cells)
        order = [gid for _, gid in ref.cells if gid is not None]
        for gid in order:
            meta = ref.meta(gid)
            if gid in found or not is_locked_meta(meta):
                continue
            used = {c.get("id") for c in nb.cells}
            cell = ref.new_cell(gid, with_ids, used)
            nb.cells.insert(self._position(nb, ref, gid), cell)
            found[gid] = [cell]
            if is_test_meta(meta):
                restored.append(gid)
            else:
                events.append(f"restored the deleted locked cell {gid}")

        record["restored_cells"] = [g for g in order if g in restored]
        for gid in record["restored_cells"]:
            self.log.warning("Restored test cell %s from the gradebook", gid)

    @staticmethod
    def _position(nb, ref, gid):
        """Where a deleted cell goes: after its predecessor in the release, else before its successor."""
        release = [cell for cell, _ in ref.cells]
        r = next(i for i, (_, g) in enumerate(ref.cells) if g == gid)

        def locate(ref_cell, ref_gid):
            for index, cell in enumerate(nb.cells):
                if ref_gid is not None and grade_id(cell) == ref_gid:
                    return index
                if ref_cell.get("id") and cell.get("id") == ref_cell["id"]:
                    return index
            if ref_gid is None and ref_cell.source.strip():  # no ids: an unchanged provided cell
                for index, cell in enumerate(nb.cells):
                    if _meta(cell) is None and cell.source.strip() == ref_cell.source.strip():
                        return index
            return None

        for j in range(r - 1, -1, -1):
            index = locate(release[j], ref.cells[j][1])
            if index is not None:
                return index + 1
        for j in range(r + 1, len(release)):
            index = locate(release[j], ref.cells[j][1])
            if index is not None:
                return index
        return len(nb.cells)


class NoteRestoredCells(NbGraderPreprocessor):
    """After execution: the restored test cells' first output says so (read from the sidecar)."""

    note = Unicode(RESTORED_NOTE, help="First output line of a restored test cell.").tag(config=True)

    def preprocess(self, nb, resources):
        restored = set(read_sidecar(resources_sidecar_path(self, resources))["restored_cells"])
        for cell in nb.cells:
            if is_grade(cell) and grade_id(cell) in restored:
                cell.outputs.insert(0, new_output("stream", name="stdout", text=self.note + "\n"))
        return nb, resources
