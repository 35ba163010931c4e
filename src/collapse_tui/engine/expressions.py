"""The safe expression language of conditions and effects: parsed by `ast`, checked against a whitelist,
compiled into closures. Nothing is ever passed to `eval`; anything outside the whitelist is rejected when
the story is loaded, so hostile text never runs."""

from __future__ import annotations

import ast
import math
import operator
import re
from typing import Callable, Mapping, Protocol

from collapse_tui.engine.diagnostics import did_you_mean
from collapse_tui.engine.frozen import frozen

MAX_LENGTH = 500
MAX_DEPTH = 32
MAX_NODES = 200
MAX_MAGNITUDE = 1e15

CLOCK_NAMES = frozenset({"hour", "minute", "day", "elapsed", "turns"})
CONSTANTS = {"true": True, "false": False, "True": True, "False": False}
SCENE_FUNCTIONS = frozenset({"visits", "visited"})

Value = bool | int | float | str


class ExpressionError(ValueError):
    """An expression that cannot be parsed, is not allowed, or fails when evaluated."""

    def __init__(self, message: str, code: str = "expression-syntax", column: int = 0):
        super().__init__(message)
        self.message = message
        self.code = code
        self.column = column


class Context(Protocol):
    """What an expression can see: names (variables, prices, clock) and visit counts."""

    def lookup(self, name: str) -> Value: ...

    def visits(self, scene_id: str) -> int: ...


Evaluator = Callable[[Context], Value]


def _number(value: Value, what: str) -> int | float:
    if isinstance(value, str):
        raise ExpressionError(f"{what} needs a number, not the text {value!r}", "expression-type")
    return value


def _bounded(value: int | float) -> int | float:
    if isinstance(value, float) and math.isnan(value):
        raise ExpressionError("the result is not a number", "expression-runtime")
    if abs(value) > MAX_MAGNITUDE:
        raise ExpressionError("the result is too large", "expression-runtime")
    return value


def _divide(left: int | float, right: int | float) -> float:
    if right == 0:
        raise ExpressionError("division by zero", "expression-runtime")
    return left / right


def _floor_divide(left: int | float, right: int | float) -> int | float:
    if right == 0:
        raise ExpressionError("division by zero", "expression-runtime")
    return left // right


def _modulo(left: int | float, right: int | float) -> int | float:
    if right == 0:
        raise ExpressionError("division by zero", "expression-runtime")
    return left % right


ARITHMETIC: dict[type, Callable[[int | float, int | float], int | float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _divide,
    ast.FloorDiv: _floor_divide,
    ast.Mod: _modulo,
}
COMPARISONS: dict[type, Callable[[Value, Value], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _clamp(value: Value, low: Value, high: Value) -> int | float:
    return max(_number(low, "clamp"), min(_number(high, "clamp"), _number(value, "clamp")))


def _round(value: Value, digits: Value = 0) -> int | float:
    digits = int(_number(digits, "round"))
    if not 0 <= digits <= 12:
        raise ExpressionError("round() takes 0 to 12 digits", "expression-runtime")
    rounded = round(_number(value, "round"), digits)
    return int(rounded) if digits == 0 else rounded


def _min(*values: Value) -> int | float:
    return min(_number(v, "min") for v in values)


def _max(*values: Value) -> int | float:
    return max(_number(v, "max") for v in values)


def _abs(value: Value) -> int | float:
    return abs(_number(value, "abs"))


NUMERIC_FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int]] = {
    # name: (function, fewest arguments, most arguments)
    "min": (_min, 1, 16),
    "max": (_max, 1, 16),
    "abs": (_abs, 1, 1),
    "round": (_round, 1, 2),
    "clamp": (_clamp, 3, 3),
}
FUNCTION_NAMES = frozenset(NUMERIC_FUNCTIONS) | SCENE_FUNCTIONS


@frozen
class Expression:
    """A checked, compiled condition or value; `names` and `scene_refs` let the validator check them."""

    source: str
    names: frozenset[str]
    scene_refs: frozenset[str]
    evaluator: Evaluator

    def evaluate(self, context: Context) -> Value:
        return self.evaluator(context)

    def test(self, context: Context) -> bool:
        return bool(self.evaluator(context))


@frozen
class Effect:
    """An assignment `target op= value` to a story variable."""

    source: str
    target: str
    operator: str  # "=", "+=", "-=", "*=", "/="
    value: Expression

    @property
    def names(self) -> frozenset[str]:
        return self.value.names | {self.target}

    @property
    def scene_refs(self) -> frozenset[str]:
        return self.value.scene_refs


class _Compiler:
    """Turns a whitelisted AST into closures, collecting the names and scene ids it refers to."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.scene_refs: set[str] = set()
        self.node_count = 0

    def compile(self, node: ast.AST, depth: int = 0) -> Evaluator:
        self.node_count += 1
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested deeper than {MAX_DEPTH} levels", "expression-too-large")
        if self.node_count > MAX_NODES:
            raise ExpressionError(f"the expression has more than {MAX_NODES} parts", "expression-too-large")
        method = getattr(self, f"_compile_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(_forbidden_message(node), "forbidden-expression", getattr(node, "col_offset", 0))
        return method(node, depth + 1)

    def _compile_Constant(self, node: ast.Constant, depth: int) -> Evaluator:
        value = node.value
        if isinstance(value, (bool, int, float)):
            _bounded(value)
        elif not isinstance(value, str):
            raise ExpressionError(f"{type(value).__name__} values are not allowed", "forbidden-expression", node.col_offset)
        return lambda context: value

    def _compile_Name(self, node: ast.Name, depth: int) -> Evaluator:
        name = node.id
        if name in CONSTANTS:
            constant = CONSTANTS[name]
            return lambda context: constant
        if name.startswith("_"):
            raise ExpressionError(f"names starting with '_' are not allowed: {name}", "forbidden-expression", node.col_offset)
        self.names.add(name)
        return lambda context: context.lookup(name)

    def _compile_BoolOp(self, node: ast.BoolOp, depth: int) -> Evaluator:
        parts = [self.compile(value, depth) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda context: all(part(context) for part in parts)
        return lambda context: any(part(context) for part in parts)

    def _compile_UnaryOp(self, node: ast.UnaryOp, depth: int) -> Evaluator:
        operand = self.compile(node.operand, depth)
        if isinstance(node.op, ast.Not):
            return lambda context: not operand(context)
        if isinstance(node.op, ast.USub):
            return lambda context: -_number(operand(context), "-")
        if isinstance(node.op, ast.UAdd):
            return lambda context: +_number(operand(context), "+")
        raise ExpressionError("the operator '~' is not allowed", "forbidden-expression", node.col_offset)

    def _compile_BinOp(self, node: ast.BinOp, depth: int) -> Evaluator:
        function = ARITHMETIC.get(type(node.op))
        if function is None:
            symbol = {ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<",
                      ast.RShift: ">>", ast.MatMult: "@"}.get(type(node.op), type(node.op).__name__)
            raise ExpressionError(f"the operator '{symbol}' is not allowed", "forbidden-expression", node.col_offset)
        left = self.compile(node.left, depth)
        right = self.compile(node.right, depth)
        return lambda context: _bounded(function(_number(left(context), "arithmetic"), _number(right(context), "arithmetic")))

    def _compile_Compare(self, node: ast.Compare, depth: int) -> Evaluator:
        operands = [self.compile(node.left, depth)] + [self.compile(c, depth) for c in node.comparators]
        operators = []
        for op in node.ops:
            comparison = COMPARISONS.get(type(op))
            if comparison is None:
                raise ExpressionError(f"the comparison '{type(op).__name__}' is not allowed", "forbidden-expression", node.col_offset)
            operators.append((comparison, isinstance(op, ORDERING)))
        nodes = [node.left, *node.comparators]
        for (_, ordering), left_node, right_node in zip(operators, nodes, nodes[1:]):
            if ordering and any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in (left_node, right_node)):
                raise ExpressionError("text can only be compared with == and !=", "expression-type", node.col_offset)

        def compare(context: Context) -> bool:
            left = operands[0](context)
            for (comparison, ordering), right_part in zip(operators, operands[1:]):
                right = right_part(context)
                if ordering and (isinstance(left, str) or isinstance(right, str)):
                    raise ExpressionError("text can only be compared with == and !=", "expression-type")
                if not comparison(left, right):
                    return False
                left = right
            return True

        return compare

    def _compile_Call(self, node: ast.Call, depth: int) -> Evaluator:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("calling methods or results (a.b(), f()()) is not allowed", "forbidden-expression", node.col_offset)
        if node.func.id not in FUNCTION_NAMES:
            hint = did_you_mean(node.func.id, FUNCTION_NAMES)
            raise ExpressionError(
                f"calling '{node.func.id}' is not allowed{hint}; functions: {', '.join(sorted(FUNCTION_NAMES))}",
                "forbidden-expression", node.col_offset)
        if node.keywords:
            raise ExpressionError("keyword arguments are not allowed", "forbidden-expression", node.col_offset)
        name = node.func.id
        if name in SCENE_FUNCTIONS:
            if len(node.args) != 1 or not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                raise ExpressionError(f"{name}() takes one scene id in quotes, like {name}('the_order')", "expression-syntax", node.col_offset)
            scene_id = node.args[0].value
            self.scene_refs.add(scene_id)
            if name == "visits":
                return lambda context: context.visits(scene_id)
            return lambda context: context.visits(scene_id) > 0
        function, fewest, most = NUMERIC_FUNCTIONS[name]
        if not fewest <= len(node.args) <= most:
            raise ExpressionError(f"{name}() takes {fewest} to {most} arguments", "expression-syntax", node.col_offset)
        arguments = [self.compile(arg, depth) for arg in node.args]
        return lambda context: function(*(argument(context) for argument in arguments))


def _forbidden_message(node: ast.AST) -> str:
    kind = type(node).__name__
    explanations = {
        "Attribute": "attribute access (a.b) is not allowed",
        "Subscript": "subscripts (a[b]) are not allowed",
        "Lambda": "lambdas are not allowed",
        "IfExp": "'x if c else y' is not allowed",
        "ListComp": "comprehensions are not allowed",
        "GeneratorExp": "comprehensions are not allowed",
        "List": "lists are not allowed",
        "Tuple": "tuples are not allowed",
        "Dict": "dicts are not allowed",
        "Set": "sets are not allowed",
        "JoinedStr": "f-strings are not allowed",
        "NamedExpr": "':=' is not allowed",
        "Starred": "'*' arguments are not allowed",
        "Await": "'await' is not allowed",
    }
    return explanations.get(kind, f"{kind} is not allowed in an expression")


def _parse(source: str, mode: str) -> ast.AST:
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text", "expression-syntax")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters", "expression-too-large")
    if not source.strip():
        raise ExpressionError("the expression is empty", "expression-syntax")
    if "\n" in source.strip() or ";" in source:
        raise ExpressionError("an expression must be a single line without ';'", "expression-syntax")
    try:
        return ast.parse(source.strip(), mode=mode)
    except SyntaxError as error:
        column = max((error.offset or 1) - 1, 0)
        hint = ""
        if mode == "eval" and re.search(r"(?<![=<>!])=(?!=)", source):
            hint = "; to compare, write '==' (a single '=' is only for effects)"
        raise ExpressionError(f"syntax error in expression: {error.msg}{hint}", "expression-syntax", column) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression is too deeply nested", "expression-too-large") from None


def parse_expression(source: str) -> Expression:
    """Parse and check a condition or value; raises ExpressionError for anything not allowed."""
    tree = _parse(source, "eval")
    compiler = _Compiler()
    evaluator = compiler.compile(tree.body)  # type: ignore[attr-defined]
    return Expression(source, frozenset(compiler.names), frozenset(compiler.scene_refs), evaluator)


AUGMENTED = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/="}


def parse_effect(source: str) -> Effect:
    """Parse an assignment effect like `queue += 150`; raises ExpressionError otherwise."""
    tree = _parse(source, "exec")
    body = tree.body  # type: ignore[attr-defined]
    if len(body) != 1 or not isinstance(body[0], (ast.Assign, ast.AugAssign)):
        raise ExpressionError("an effect must be one assignment, like 'queue += 150' or 'recorded = true'", "expression-syntax")
    statement = body[0]
    if isinstance(statement, ast.Assign):
        if len(statement.targets) != 1:
            raise ExpressionError("assign one variable at a time", "expression-syntax")
        target, symbol = statement.targets[0], "="
    else:
        target = statement.target
        symbol = AUGMENTED.get(type(statement.op), "")
        if not symbol:
            raise ExpressionError("only =, +=, -=, *= and /= are allowed in effects", "forbidden-expression")
    if not isinstance(target, ast.Name) or target.id.startswith("_"):
        raise ExpressionError("only a story variable can be assigned", "forbidden-expression")
    compiler = _Compiler()
    evaluator = compiler.compile(statement.value)
    value = Expression(ast.unparse(statement.value), frozenset(compiler.names), frozenset(compiler.scene_refs), evaluator)
    return Effect(source, target.id, symbol, value)


def apply_operator(symbol: str, current: Value, value: Value) -> Value:
    """The new value of a variable after `current symbol value`."""
    if symbol == "=":
        return value
    current_number = _number(current, symbol)
    number = _number(value, symbol)
    function = {"+=": operator.add, "-=": operator.sub, "*=": operator.mul, "/=": _divide}[symbol]
    return _bounded(function(current_number, number))


class MappingContext:
    """A Context over plain mappings, for tests and tools."""

    def __init__(self, names: Mapping[str, Value], visit_counts: Mapping[str, int] | None = None):
        self._names = names
        self._visits = visit_counts or {}

    def lookup(self, name: str) -> Value:
        try:
            return self._names[name]
        except KeyError:
            raise ExpressionError(f"unknown name '{name}'", "unknown-name") from None

    def visits(self, scene_id: str) -> int:
        return self._visits.get(scene_id, 0)
