"""Models built from values that are already valid, without running pydantic's validation.

The reader and the parser build about 500 spans, cells and rows per report from values they have typed
themselves (ints, Decimals, CellKinds, Spans). Validating each costs a few microseconds, which was a
large share of the time to check a report; :func:`trusted` builds the same object instead, the way
``BaseModel.model_construct`` does, with the defaults looked up once per class. (``model_construct``
itself walks every field's aliases in Python and is slower than validation.)

The result is indistinguishable from ``cls(**values)``: equal, with the same ``model_fields_set`` and
the same JSON. The first call for each class checks exactly that against a validated construction and
falls back to validation for good if pydantic's internals ever differ. Only pass values of the field's
declared type: a model validator (e.g. :class:`~nianbao.model.cell.Cell`'s coercion of JSON numbers)
does not run. :func:`text_span` and :func:`trusted_cell` do the same for the two models built most
(a span and a cell per table cell), with the field dictionary written out at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from nianbao.model.cell import Cell, CellKind, Unit
from nianbao.model.span import Span

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__


_UNSET: Any = object()  # a field that ``values`` or a default factory must fill


@dataclass(frozen=True)
class _Spec:
    template: dict[str, Any]  # every field in field order: its plain default, or _UNSET
    factories: tuple[tuple[str, Callable[[], Any]], ...]  # fields with a default factory
    required: frozenset[str]
    ok: bool  # False: this class is built with validation


_VALIDATE = _Spec({}, (), frozenset(), ok=False)


def _spec(cls: type[BaseModel]) -> _Spec:
    template: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    required: set[str] = set()
    for name, field in cls.model_fields.items():
        template[name] = _UNSET
        if field.is_required():
            required.add(name)
        elif field.default_factory is not None:
            if getattr(field, "default_factory_takes_validated_data", True):
                return _VALIDATE
            factories.append((name, field.default_factory))  # type: ignore[arg-type]
        else:
            template[name] = field.default
        if field.alias or field.validation_alias:
            return _VALIDATE
    plain = (
        not cls.__private_attributes__
        and not cls.__pydantic_post_init__
        and not cls.__pydantic_root_model__
        and cls.model_config.get("extra") != "allow"
    )
    return _Spec(template, tuple(factories), frozenset(required), ok=plain)


_SPECS: dict[type[BaseModel], _Spec] = {}


def _build(cls: type[M], spec: _Spec, values: dict[str, Any]) -> M:
    # No check of the field names here: the first call per class was validated (unknown or missing
    # fields raise there), and every call site passes the same names each time.
    data = {**spec.template, **values}  # field order kept
    for name, factory in spec.factories:
        if name not in values:
            data[name] = factory()
    obj = _new(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _same(a: BaseModel, b: BaseModel) -> bool:
    return (
        a == b
        and a.model_fields_set == b.model_fields_set
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and a.__pydantic_private__ == b.__pydantic_private__
        and list(a.__dict__) == list(b.__dict__)
        and a.model_dump_json() == b.model_dump_json()
    )


def trusted(cls: type[M], **values: Any) -> M:
    """``cls(**values)`` without validation, for values that are already of their fields' types."""
    spec = _SPECS.get(cls)
    if spec is not None and spec.ok:
        return _build(cls, spec, values)
    if spec is None:
        spec = _spec(cls)
        if spec.ok:
            # Check once against a validated construction; validate from now on if they differ.
            validated = cls(**values)
            if not _same(validated, _build(cls, spec, values)):
                spec = _VALIDATE
        _SPECS[cls] = spec
        if spec.ok:
            return _build(cls, spec, values)
    return cls(**values)


def trusted_copy(obj: M, **update: Any) -> M:
    """``obj.model_copy(update=update)`` (a shallow copy with some fields replaced, no validation)."""
    copy = _new(type(obj))
    _set(copy, "__dict__", {**obj.__dict__, **update})
    _set(copy, "__pydantic_fields_set__", obj.__pydantic_fields_set__ | update.keys())
    _set(copy, "__pydantic_extra__", None if obj.__pydantic_extra__ is None else dict(obj.__pydantic_extra__))
    _set(copy, "__pydantic_private__", None if obj.__pydantic_private__ is None else dict(obj.__pydantic_private__))
    return copy


def _fast(cls: type[M], data: dict[str, Any], fields_set: set[str]) -> M:
    obj = _new(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


# Spans and cells are frozen: pydantic never changes their fields set in place (model_copy copies it
# first), so every one built here shares one set instead of allocating its own.
_SPAN_SET = {"path", "line", "column"}
_CELL_SET = {"raw", "kind", "value", "unit", "span"}
_span_rest: dict[str, Any] | None = None  # Span's other fields and their defaults, once checked
_fast_ok: dict[type[BaseModel], bool] = {}  # whether the builders below were checked (True) or fail (False)


def _checked(cls: type[BaseModel], built: BaseModel, values: dict[str, Any]) -> bool:
    """First call of a builder: the same object as validation builds? Remembered for the class."""
    if cls not in _fast_ok:
        _fast_ok[cls] = _same(cls(**values), built)
    return _fast_ok[cls]


def text_span(path: str | None, line: int | None, column: int | None) -> Span:
    """``Span(path=path, line=line, column=column)``: a place in a text file, the most built model."""
    rest = _span_rest
    if rest is None:
        return _first_text_span(path, line, column)
    obj = _new(Span)
    _set(obj, "__dict__", {"path": path, "line": line, "column": column, **rest})
    _set(obj, "__pydantic_fields_set__", _SPAN_SET)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _first_text_span(path: str | None, line: int | None, column: int | None) -> Span:
    global _span_rest
    values = {"path": path, "line": line, "column": column}
    if Span not in _fast_ok:
        spec = _spec(Span)
        rest = {k: v for k, v in spec.template.items() if k not in values}
        ok = spec.ok and not spec.factories and _UNSET not in rest.values()
        if ok and _checked(Span, _fast(Span, {**values, **rest}, _SPAN_SET), values):
            _span_rest = rest
        _fast_ok[Span] = _span_rest is not None
    return Span(**values)


_cell_fast = False  # trusted_cell was checked against validation


def trusted_cell(raw: str, kind: CellKind, value: int | Decimal | None, unit: Unit, span: Span | None) -> Cell:
    """``Cell(raw=raw, kind=kind, value=value, unit=unit, span=span)`` for a value already of its unit's
    type (``int`` for counts, ``Decimal`` for 万元): the reader builds one per table cell."""
    global _cell_fast
    values = {"raw": raw, "kind": kind, "value": value, "unit": unit, "span": span}
    if not _cell_fast:
        if Cell not in _fast_ok:
            _fast_ok[Cell] = _spec(Cell).ok and _checked(Cell, _fast(Cell, dict(values), _CELL_SET), values)
            _cell_fast = _fast_ok[Cell]
        return Cell(**values)
    obj = _new(Cell)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", _CELL_SET)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
