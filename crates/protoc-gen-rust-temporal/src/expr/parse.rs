//! Parsing one query (the text of a `${! ... }` fragment) into an [`Ast`].
//!
//! Only the part of Bloblang that ID expressions support is parsed: paths
//! (`a.b.0.c`, `this.a`), string/number/boolean/null, array and object
//! literals, function calls `f(args)`, method calls `.m(args)` (lambdas,
//! `x -> ...`, as their arguments), field access on any value,
//! parentheses, the operators (`+ - * / % |`, comparisons, `&& || !`) with
//! Bloblang's precedence, `if` / `else if` / `else`, and `match` with
//! literal, query and `_` cases. Operators on two literals are evaluated
//! here, as Bloblang does when parsing ([`super::fold`]). Recognisable
//! constructs outside it (variables, metadata, `root`, named arguments,
//! ...) are reported as unsupported by name; anything else is a syntax
//! error.

use super::ExprError;
use super::fold;

/// How many levels calls and parentheses may nest in one query: each
/// function call, method call (a chained one too: `a.b().c()` is two
/// levels), operator, `if`, array and pair of parentheses is one level
/// around what it contains, and a `match` two.
/// Everything after the parser (checking, emitting, formatting the
/// generated code with syn and prettyplease, dropping the trees) recurses
/// per level: in a debug build, the worst case (nested `or`s, a closure in
/// a call per level) takes about 25 KiB of stack per level on top of about
/// 220 KiB, and overflows a 2 MiB thread stack (the default of spawned
/// threads) at about 77 levels. At 16 levels the whole generation takes
/// about 550 KiB (`tests/input_limits.rs` runs it on a 768 KiB stack).
pub const MAX_DEPTH: usize = 16;

/// How many segments a path may have (`a.b.0.c` has four). A recursive
/// message makes paths of any length valid, and the code that walks one
/// nests per segment.
pub const MAX_PATH_SEGMENTS: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ast {
    /// A path into the input: `this` (no segments), `id`, `a.b.0.c`.
    Path(Vec<Segment>),
    /// A string literal.
    Str(String),
    /// An integer literal.
    Int(i64),
    /// A decimal literal.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A function call: `uuid_v4()`, `throw("msg")`.
    Call { name: String, args: Vec<Ast> },
    /// A method call: `target.name(args)`.
    Method {
        target: Box<Ast>,
        name: String,
        args: Vec<Ast>,
    },
    /// `left op right` (`-x` is `0 - x`, as in Bloblang).
    Binary {
        op: BinOp,
        left: Box<Ast>,
        right: Box<Ast>,
    },
    /// `!x`.
    Not(Box<Ast>),
    /// `match target { pattern => result, ... }`; without a target, the
    /// cases see the input itself.
    Match {
        target: Option<Box<Ast>>,
        arms: Vec<(Pattern, Ast)>,
    },
    /// `if c { a } else if d { b } else { c }`: the conditions with their
    /// results in order, and the `else` result.
    If {
        branches: Vec<(Ast, Ast)>,
        otherwise: Option<Box<Ast>>,
    },
    /// `[a, b, ...]`.
    Array(Vec<Ast>),
    /// `{"key": value, (query): value, ...}`.
    Object(Vec<(Ast, Ast)>),
    /// `name -> body`, an argument of a method that maps (`map_each`,
    /// `sort_by`): `name` is the element, `this` stays what it was.
    Lambda { name: String, body: Box<Ast> },
    /// `target.a.0` where the target is not a path: a field or element of
    /// a value (`re_find_object(..).name`).
    Select {
        target: Box<Ast>,
        path: Vec<Segment>,
    },
}

impl Ast {
    /// Whether this is a literal, as Bloblang sees one: a string, number,
    /// boolean or `null`, written or folded from operators on literals.
    pub(crate) fn is_literal(&self) -> bool {
        matches!(
            self,
            Ast::Str(_) | Ast::Int(_) | Ast::Float(_) | Ast::Bool(_) | Ast::Null
        )
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    /// `|`: the right side when the left is `null` or fails.
    Coalesce,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    /// The operator as written.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Coalesce => "|",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }

    /// Whether Bloblang evaluates it on two literals when parsing (the
    /// arithmetic and the comparisons; not `|`, `&&` or `||`).
    pub(crate) fn folds(self) -> bool {
        !matches!(self, BinOp::Coalesce | BinOp::And | BinOp::Or)
    }
}

/// The operators, loosest last, as Bloblang resolves them: one pass per
/// tier, each left-associative (`&&` and `||` share a tier).
const TIERS: [&[BinOp]; 4] = [
    &[BinOp::Mul, BinOp::Div, BinOp::Rem, BinOp::Coalesce],
    &[BinOp::Add, BinOp::Sub],
    &[
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
    ],
    &[BinOp::And, BinOp::Or],
];

/// The operators by spelling, two-character ones first.
const OPERATORS: [(&str, BinOp); 14] = [
    ("&&", BinOp::And),
    ("||", BinOp::Or),
    ("==", BinOp::Eq),
    ("!=", BinOp::Ne),
    (">=", BinOp::Ge),
    ("<=", BinOp::Le),
    ("+", BinOp::Add),
    ("-", BinOp::Sub),
    ("/", BinOp::Div),
    ("*", BinOp::Mul),
    ("%", BinOp::Rem),
    (">", BinOp::Gt),
    ("<", BinOp::Lt),
    ("|", BinOp::Coalesce),
];

/// A `match` case's pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pattern {
    /// `_`: matches anything.
    Wildcard,
    /// A literal (see [`Ast::is_literal`]): matches an equal value.
    Literal(Ast),
    /// Any other query: matches when it yields `true`, with `this` the
    /// matched value.
    Query(Ast),
}

/// A segment of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A field, by JSON name.
    Field(String),
    /// A list index.
    Index(usize),
}

/// Parses `query`, a fragment of `template`.
pub(crate) fn parse(query: &str, template: &str) -> Result<Ast, ExprError> {
    parse_with_level(query, template).map(|(ast, _)| ast)
}

/// [`parse`], with the nesting level of the query (see [`MAX_DEPTH`]).
fn parse_with_level(query: &str, template: &str) -> Result<(Ast, usize), ExprError> {
    let mut p = Parser {
        chars: query.chars().collect(),
        pos: 0,
        depth: 0,
        query,
        template,
    };
    p.skip_ws();
    let (ast, level) = p.expr()?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.unexpected());
    }
    Ok((ast, level))
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    /// Parentheses and argument lists open around the cursor: each parse
    /// of a nested term recurses, so this is bounded before recursing.
    depth: usize,
    query: &'a str,
    template: &'a str,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(is_word_char) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn syntax(&self, message: impl Into<String>) -> ExprError {
        ExprError::Syntax {
            query: self.query.to_owned(),
            message: message.into(),
            template: self.template.to_owned(),
        }
    }

    fn too_deep(&self) -> ExprError {
        ExprError::TooDeep {
            max: MAX_DEPTH,
            template: self.template.to_owned(),
        }
    }

    /// `level` (the nesting of a parsed term), if within the limit.
    fn within_limit(&self, level: usize) -> Result<usize, ExprError> {
        if level > MAX_DEPTH {
            return Err(self.too_deep());
        }
        Ok(level)
    }

    /// An expression inside parentheses, an argument list or a `match`
    /// (the cursor after what opens it), one level deeper.
    fn nested_expr(&mut self) -> Result<(Ast, usize), ExprError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.too_deep());
        }
        self.depth += 1;
        let result = self.expr();
        self.depth -= 1;
        result
    }

    /// `operand ( operator operand )*`, resolved tier by tier as Bloblang
    /// does (see [`TIERS`]); each operator is one nesting level around
    /// its operands.
    fn expr(&mut self) -> Result<(Ast, usize), ExprError> {
        let mut operands = vec![self.operand()?];
        let mut operators = Vec::new();
        while let Some(op) = self.operator() {
            self.skip_ws();
            operators.push(op);
            operands.push(self.operand()?);
        }
        for tier in TIERS {
            let mut rest = operands.into_iter();
            let mut resolved = vec![rest.next().expect("one operand at least")];
            let mut left_over = Vec::new();
            for (op, right) in operators.into_iter().zip(rest) {
                if tier.contains(&op) {
                    let left = resolved.pop().expect("an operand before each operator");
                    resolved.push(self.binary(op, left, right)?);
                } else {
                    left_over.push(op);
                    resolved.push(right);
                }
            }
            (operands, operators) = (resolved, left_over);
        }
        Ok(operands.pop().expect("one operand left"))
    }

    /// `left op right`, folded when both are literals.
    fn binary(
        &self,
        op: BinOp,
        (left, left_level): (Ast, usize),
        (right, right_level): (Ast, usize),
    ) -> Result<(Ast, usize), ExprError> {
        if op.folds() && left.is_literal() && right.is_literal() {
            return fold::fold(op, &left, &right)
                .map(|value| (value, 0))
                .map_err(|message| self.syntax(message));
        }
        let level = self.within_limit(left_level.max(right_level) + 1)?;
        let ast = Ast::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        };
        Ok((ast, level))
    }

    /// An operator after spaces or tabs (a line break ends the query, as
    /// in Bloblang); `->` and `=>` are not operators.
    fn operator(&mut self) -> Option<BinOp> {
        let save = self.pos;
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        let rest: String = self.chars[self.pos..].iter().take(2).collect();
        let found = OPERATORS
            .iter()
            .find(|(symbol, _)| rest.starts_with(symbol))
            .filter(|_| rest != "->");
        match found {
            Some((symbol, op)) => {
                self.pos += symbol.len();
                Some(*op)
            }
            None => {
                self.pos = save;
                None
            }
        }
    }

    /// A term, negated when a `-` comes first (`-x` is `0 - x`).
    fn operand(&mut self) -> Result<(Ast, usize), ExprError> {
        if self.peek() == Some('-') && self.peek_at(1) != Some('>') {
            self.pos += 1;
            self.skip_ws();
            let term = self.term()?;
            return self.binary(BinOp::Sub, (Ast::Int(0), 0), term);
        }
        self.term()
    }

    /// Consumes `c` after any whitespace; when another character follows
    /// the whitespace, consumes nothing.
    fn eat(&mut self, c: char) -> bool {
        let save = self.pos;
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            self.pos = save;
            false
        }
    }

    /// `match [target] { pattern => result, ... }`, the cursor after
    /// `match`. Cases are separated by commas or line breaks.
    fn match_expr(&mut self) -> Result<(Ast, usize), ExprError> {
        self.skip_ws();
        let (target, mut level) = if self.peek() == Some('{') {
            (None, 0)
        } else {
            let (target, level) = self.nested_expr()?;
            (Some(Box::new(target)), level)
        };
        self.skip_ws();
        if self.peek() != Some('{') {
            return Err(self.syntax("expected `{` after the `match` target"));
        }
        self.pos += 1;
        let mut arms = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.syntax("missing `}` of `match`")),
                Some(_) => {}
            }
            let (pattern, pattern_level) = self.pattern()?;
            level = level.max(pattern_level);
            self.skip_ws();
            if self.peek() != Some('=') || self.peek_at(1) != Some('>') {
                return Err(self.syntax("expected `=>` after a `match` pattern"));
            }
            self.pos += 2;
            self.skip_ws();
            let (result, result_level) = self.nested_expr()?;
            level = level.max(result_level);
            arms.push((pattern, result));
            let save = self.pos;
            self.skip_ws();
            let line_break = self.chars[save..self.pos].contains(&'\n');
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') => {}
                None => return Err(self.syntax("missing `}` of `match`")),
                Some(_) if line_break => {}
                Some(_) => return Err(self.unexpected()),
            }
        }
        // Two levels: the emitted code nests a closure for the matched
        // value and one for the cases after each.
        let level = self.within_limit(level + 2)?;
        Ok((Ast::Match { target, arms }, level))
    }

    /// A `match` pattern: `_`, a literal, or a query, with its nesting
    /// level.
    fn pattern(&mut self) -> Result<(Pattern, usize), ExprError> {
        if self.peek() == Some('_') {
            let save = self.pos;
            self.pos += 1;
            self.skip_ws();
            if self.peek() == Some('=') && self.peek_at(1) == Some('>') {
                return Ok((Pattern::Wildcard, 0));
            }
            self.pos = save;
        }
        let (pattern, level) = self.nested_expr()?;
        if pattern.is_literal() {
            Ok((Pattern::Literal(pattern), level))
        } else {
            Ok((Pattern::Query(pattern), level))
        }
    }

    /// `if cond { result } [else if cond { result }]* [else { result }]`,
    /// the cursor after `if`. As in Bloblang, `else if` is spelt with one
    /// space.
    fn if_expr(&mut self) -> Result<(Ast, usize), ExprError> {
        let mut branches = Vec::new();
        let mut level = 0;
        loop {
            self.skip_ws();
            let (condition, condition_level) = self.nested_expr()?;
            let (result, result_level) = self.block("if")?;
            level = level.max(condition_level).max(result_level);
            branches.push((condition, result));
            let save = self.pos;
            self.skip_ws();
            if self.rest_starts_with("else if") && matches!(self.peek_at(7), Some(' ' | '\t')) {
                self.pos += "else if".len();
                continue;
            }
            if self.rest_starts_with("else") && !self.peek_at(4).is_some_and(is_word_char) {
                self.pos += "else".len();
                let (otherwise, otherwise_level) = self.block("else")?;
                let level = self.within_limit(level.max(otherwise_level) + 1)?;
                let ast = Ast::If {
                    branches,
                    otherwise: Some(Box::new(otherwise)),
                };
                return Ok((ast, level));
            }
            self.pos = save;
            let level = self.within_limit(level + 1)?;
            return Ok((
                Ast::If {
                    branches,
                    otherwise: None,
                },
                level,
            ));
        }
    }

    /// `{ query }` after an `if` condition or `else`.
    fn block(&mut self, after: &str) -> Result<(Ast, usize), ExprError> {
        self.skip_ws();
        if self.peek() != Some('{') {
            return Err(self.syntax(format!("expected `{{` after `{after}`")));
        }
        self.pos += 1;
        self.skip_ws();
        let inner = self.nested_expr()?;
        self.skip_ws();
        match self.peek() {
            Some('}') => {
                self.pos += 1;
                Ok(inner)
            }
            None => Err(self.syntax(format!("missing `}}` of `{after}`"))),
            Some(_) => Err(self.unexpected()),
        }
    }

    fn rest_starts_with(&self, text: &str) -> bool {
        self.chars[self.pos..]
            .iter()
            .copied()
            .take(text.len())
            .eq(text.chars())
    }

    fn unsupported(&self, construct: impl Into<String>) -> ExprError {
        ExprError::Unsupported {
            construct: construct.into(),
            template: self.template.to_owned(),
        }
    }

    /// The error for whatever unexpected character is at the cursor:
    /// lambdas, literals of other types and references by name, anything
    /// else as a syntax error.
    fn unexpected(&self) -> ExprError {
        let Some(c) = self.peek() else {
            return self.syntax("unexpected end of query");
        };
        let next = self.peek_at(1);
        if c == '-' && next == Some('>') {
            return self
                .unsupported("lambda (`->`) outside the argument of `map_each` or `sort_by`");
        }
        match c {
            '$' => self.unsupported("variable (`$`)"),
            '@' => self.unsupported("metadata reference (`@`)"),
            '#' => self.unsupported("comment (`#`)"),
            c => self.syntax(format!("unexpected `{c}` at offset {}", self.pos)),
        }
    }

    /// `primary ( '.' postfix )*`, with its nesting level (see
    /// [`MAX_DEPTH`]).
    /// A `!` before it negates the whole chain (`!a.b()` is `!(a.b())`).
    fn term(&mut self) -> Result<(Ast, usize), ExprError> {
        let not = self.peek() == Some('!') && self.peek_at(1) != Some('=');
        if not {
            self.pos += 1;
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.pos += 1;
            }
        }
        let (mut ast, mut level) = self.primary()?;
        while self.eat('.') {
            (ast, level) = self.postfix(ast, level)?;
        }
        if not {
            level = self.within_limit(level + 1)?;
            ast = Ast::Not(Box::new(ast));
        }
        Ok((ast, level))
    }

    /// What follows a `.`: a field, an index or a method call, on a target
    /// of nesting level `level`.
    fn postfix(&mut self, target: Ast, level: usize) -> Result<(Ast, usize), ExprError> {
        match self.peek() {
            Some(c) if is_word_char(c) => {}
            Some('(') => return Err(self.unsupported("path coalescing (`.(...)`)")),
            Some('"') => return Err(self.unsupported("quoted path segment")),
            Some('-') => return Err(self.unsupported("negative index")),
            _ => return Err(self.syntax("expected a field name, an index or a method after `.`")),
        }
        let name = self.word();
        if self.peek() == Some('(') {
            let (args, args_level) = self.args()?;
            let level = self.within_limit(level.max(args_level) + 1)?;
            let method = Ast::Method {
                target: Box::new(target),
                name,
                args,
            };
            return Ok((method, level));
        }
        let (target, mut segments) = match target {
            Ast::Path(segments) => (None, segments),
            Ast::Select { target, path } => (Some(target), path),
            target => (Some(Box::new(target)), Vec::new()),
        };
        if segments.len() >= MAX_PATH_SEGMENTS {
            return Err(ExprError::PathTooLong {
                max: MAX_PATH_SEGMENTS,
                template: self.template.to_owned(),
            });
        }
        segments.push(if name.bytes().all(|b| b.is_ascii_digit()) {
            let index = name
                .parse()
                .map_err(|_| self.syntax(format!("index `{name}` is too large")))?;
            Segment::Index(index)
        } else {
            Segment::Field(name)
        });
        let ast = match target {
            None => Ast::Path(segments),
            Some(target) => Ast::Select {
                target,
                path: segments,
            },
        };
        Ok((ast, level))
    }

    /// `( args )`, the cursor on `(`, with the highest nesting level of
    /// the arguments (0 without any).
    fn args(&mut self) -> Result<(Vec<Ast>, usize), ExprError> {
        self.pos += 1;
        let mut args = Vec::new();
        let mut level = 0;
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok((args, level));
        }
        loop {
            self.skip_ws();
            self.reject_named_argument()?;
            let (arg, arg_level) = match self.lambda_name() {
                Some(name) => {
                    let (body, level) = self.nested_expr()?;
                    let lambda = Ast::Lambda {
                        name,
                        body: Box::new(body),
                    };
                    (lambda, level)
                }
                None => self.nested_expr()?,
            };
            args.push(arg);
            level = level.max(arg_level);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok((args, level));
                }
                None => return Err(self.syntax("missing `)`")),
                Some(_) => return Err(self.unexpected()),
            }
        }
    }

    /// The name of a lambda (`name -> body`) at the cursor, consumed with
    /// its arrow; nothing is consumed when there is none.
    fn lambda_name(&mut self) -> Option<String> {
        let save = self.pos;
        let name = self.word();
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        if !name.is_empty() && self.rest_starts_with("->") {
            self.pos += 2;
            self.skip_ws();
            return Some(name);
        }
        self.pos = save;
        None
    }

    /// `[a, b, ...]`, the cursor on `[`: elements separated by commas,
    /// with line breaks allowed around them.
    fn array(&mut self) -> Result<(Ast, usize), ExprError> {
        self.pos += 1;
        let mut items = Vec::new();
        let mut level = 0;
        loop {
            self.skip_ws();
            if self.peek() == Some(']') {
                self.pos += 1;
                let level = self.within_limit(level + 1)?;
                return Ok((Ast::Array(items), level));
            }
            if !items.is_empty() {
                if self.peek() != Some(',') {
                    return Err(match self.peek() {
                        None => self.syntax("missing `]`"),
                        Some(_) => self.unexpected(),
                    });
                }
                self.pos += 1;
                self.skip_ws();
                // A trailing comma is allowed.
                if self.peek() == Some(']') {
                    continue;
                }
            }
            let (item, item_level) = self.nested_expr()?;
            items.push(item);
            level = level.max(item_level);
        }
    }

    /// `{key: value, ...}`, the cursor on `{`: keys are string literals
    /// or queries, entries separated by commas, with line breaks allowed
    /// around them.
    fn object(&mut self) -> Result<(Ast, usize), ExprError> {
        self.pos += 1;
        let mut entries = Vec::new();
        let mut level = 0;
        loop {
            self.skip_ws();
            if self.peek() == Some('}') {
                self.pos += 1;
                let level = self.within_limit(level + 1)?;
                return Ok((Ast::Object(entries), level));
            }
            if !entries.is_empty() {
                if self.peek() != Some(',') {
                    return Err(match self.peek() {
                        None => self.syntax("missing `}` of an object"),
                        Some(_) => self.unexpected(),
                    });
                }
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some('}') {
                    continue;
                }
            }
            let (key, key_level) = self.nested_expr()?;
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.pos += 1;
            }
            if self.peek() != Some(':') {
                return Err(self.syntax("expected `:` after an object key"));
            }
            self.pos += 1;
            self.skip_ws();
            let (value, value_level) = self.nested_expr()?;
            entries.push((key, value));
            level = level.max(key_level).max(value_level);
        }
    }

    /// Bloblang's `name: value` arguments are not supported.
    fn reject_named_argument(&self) -> Result<(), ExprError> {
        let mut i = self.pos;
        while self.chars.get(i).copied().is_some_and(is_word_char) {
            i += 1;
        }
        if i == self.pos {
            return Ok(());
        }
        let name: String = self.chars[self.pos..i].iter().collect();
        while self.chars.get(i).copied().is_some_and(char::is_whitespace) {
            i += 1;
        }
        if self.chars.get(i) == Some(&':') {
            return Err(self.unsupported(format!("named argument `{name}:`")));
        }
        Ok(())
    }

    /// A value with its nesting level.
    fn primary(&mut self) -> Result<(Ast, usize), ExprError> {
        match self.peek() {
            None => Err(self.syntax("expected a value")),
            Some('(') => {
                self.pos += 1;
                self.skip_ws();
                let (inner, level) = self.nested_expr()?;
                self.skip_ws();
                match self.peek() {
                    Some(')') => {
                        self.pos += 1;
                        Ok((inner, self.within_limit(level + 1)?))
                    }
                    None => Err(self.syntax("missing `)`")),
                    Some(_) => Err(self.unexpected()),
                }
            }
            Some('"') => Ok((self.string()?, 0)),
            Some('[') => self.array(),
            Some('{') => self.object(),
            Some(c) if c.is_ascii_digit() => Ok((self.number()?, 0)),
            Some(c) if c.is_ascii_alphabetic() || c == '_' => self.word_primary(),
            Some(_) => Err(self.unexpected()),
        }
    }

    fn word_primary(&mut self) -> Result<(Ast, usize), ExprError> {
        let word = self.word();
        match word.as_str() {
            "this" => return Ok((Ast::Path(Vec::new()), 0)),
            "true" => return Ok((Ast::Bool(true), 0)),
            "false" => return Ok((Ast::Bool(false), 0)),
            "null" => return Ok((Ast::Null, 0)),
            "match" => return self.match_expr(),
            "if" => return self.if_expr(),
            "root" => return Err(self.unsupported("`root` reference")),
            "let" | "map" | "import" | "from" => {
                return Err(self.unsupported(format!("`{word}` statement")));
            }
            _ => {}
        }
        let save = self.pos;
        self.skip_ws();
        if self.peek() == Some('-') && self.peek_at(1) == Some('>') {
            return Err(
                self.unsupported("lambda (`->`) outside the argument of `map_each` or `sort_by`")
            );
        }
        self.pos = save;
        if self.peek() == Some('(') {
            let (args, args_level) = self.args()?;
            let level = self.within_limit(args_level + 1)?;
            return Ok((Ast::Call { name: word, args }, level));
        }
        Ok((Ast::Path(vec![Segment::Field(word)]), 0))
    }

    fn number(&mut self) -> Result<Ast, ExprError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let mut float = false;
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            float = true;
            self.pos += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        if !float && let Ok(i) = text.parse::<i64>() {
            return Ok(Ast::Int(i));
        }
        // Beyond about 1.8e308 the parse gives an infinity, which neither
        // Bloblang's JSON numbers nor a Rust literal can hold.
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Ast::Float(f)),
            Ok(_) => Err(self.syntax(format!(
                "number `{text}` is out of range (the largest is about 1.8e308)"
            ))),
            Err(_) => Err(self.syntax(format!("invalid number `{text}`"))),
        }
    }

    /// A `"..."` literal with Go escapes, or a raw `"""..."""` literal.
    fn string(&mut self) -> Result<Ast, ExprError> {
        if self.peek_at(1) == Some('"') && self.peek_at(2) == Some('"') {
            self.pos += 3;
            let start = self.pos;
            while self.pos < self.chars.len() {
                if self.chars[self.pos..].starts_with(&['"', '"', '"']) {
                    let s = self.chars[start..self.pos].iter().collect();
                    self.pos += 3;
                    return Ok(Ast::Str(s));
                }
                self.pos += 1;
            }
            return Err(self.syntax("unterminated string literal"));
        }
        self.pos += 1;
        let mut s = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.syntax("unterminated string literal"));
            };
            self.pos += 1;
            match c {
                '"' => return Ok(Ast::Str(s)),
                '\\' => s.push(self.escape()?),
                c => s.push(c),
            }
        }
    }

    /// One escape sequence of a Go string literal, after its backslash.
    fn escape(&mut self) -> Result<char, ExprError> {
        let Some(c) = self.peek() else {
            return Err(self.syntax("unterminated string literal"));
        };
        self.pos += 1;
        let hex = |p: &mut Self, n: usize| -> Result<char, ExprError> {
            let digits: String = p.chars.iter().skip(p.pos).take(n).collect();
            p.pos += n;
            u32::from_str_radix(&digits, 16)
                .ok()
                .filter(|_| digits.len() == n)
                .and_then(char::from_u32)
                .ok_or_else(|| p.syntax(format!("invalid escape in string literal: `{digits}`")))
        };
        Ok(match c {
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            '\\' | '\'' | '"' => c,
            'x' => hex(self, 2)?,
            'u' => hex(self, 4)?,
            'U' => hex(self, 8)?,
            c => return Err(self.syntax(format!("invalid escape `\\{c}` in string literal"))),
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn p(q: &str) -> Result<Ast, ExprError> {
        parse(q, "tmpl")
    }

    fn field(s: &str) -> Segment {
        Segment::Field(s.to_owned())
    }

    fn unsupported(q: &str) -> String {
        match p(q) {
            Err(ExprError::Unsupported { construct, .. }) => construct,
            other => panic!("expected unsupported for {q:?}, got {other:?}"),
        }
    }

    fn syntax(q: &str) -> String {
        match p(q) {
            Err(ExprError::Syntax { message, .. }) => message,
            other => panic!("expected syntax error for {q:?}, got {other:?}"),
        }
    }

    #[test]
    fn paths() {
        assert_eq!(p("id").unwrap(), Ast::Path(vec![field("id")]));
        assert_eq!(p(" this.id ").unwrap(), Ast::Path(vec![field("id")]));
        assert_eq!(p("this").unwrap(), Ast::Path(vec![]));
        assert_eq!(
            p("outerList.0.innerList.12.bar").unwrap(),
            Ast::Path(vec![
                field("outerList"),
                Segment::Index(0),
                field("innerList"),
                Segment::Index(12),
                field("bar"),
            ])
        );
    }

    #[test]
    fn literals() {
        assert_eq!(p(r#""a\"b\n\u00e9""#).unwrap(), Ast::Str("a\"b\né".into()));
        assert_eq!(p(r#""""raw\n""""#).unwrap(), Ast::Str(r"raw\n".into()));
        assert_eq!(p("42").unwrap(), Ast::Int(42));
        assert_eq!(p("-7").unwrap(), Ast::Int(-7), "folded from `0 - 7`");
        assert_eq!(p("1.5").unwrap(), Ast::Float(1.5));
        assert_eq!(p("99999999999999999999").unwrap(), Ast::Float(1e20));
        assert_eq!(p("true").unwrap(), Ast::Bool(true));
        assert_eq!(p("null").unwrap(), Ast::Null);
    }

    #[test]
    fn calls_and_methods() {
        assert_eq!(
            p(r#"blahz.or(throw("uh oh"))"#).unwrap(),
            Ast::Method {
                target: Box::new(Ast::Path(vec![field("blahz")])),
                name: "or".into(),
                args: vec![Ast::Call {
                    name: "throw".into(),
                    args: vec![Ast::Str("uh oh".into())],
                }],
            }
        );
        assert_eq!(
            p("( name ).slug( )").unwrap(),
            Ast::Method {
                target: Box::new(Ast::Path(vec![field("name")])),
                name: "slug".into(),
                args: vec![],
            }
        );
        assert_eq!(
            p("5.string()").unwrap(),
            Ast::Method {
                target: Box::new(Ast::Int(5)),
                name: "string".into(),
                args: vec![],
            }
        );
        assert!(matches!(
            p(r#"uuid_v4().or("a", "b")"#).unwrap(),
            Ast::Method { .. }
        ));
    }

    fn bin(op: BinOp, left: Ast, right: Ast) -> Ast {
        Ast::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        }
    }

    fn path(f: &str) -> Ast {
        Ast::Path(vec![field(f)])
    }

    #[test]
    fn plus_is_left_associative_and_binds_looser_than_methods() {
        assert_eq!(
            p(r#"a + b.uppercase() + "c""#).unwrap(),
            bin(
                BinOp::Add,
                bin(
                    BinOp::Add,
                    path("a"),
                    Ast::Method {
                        target: Box::new(path("b")),
                        name: "uppercase".into(),
                        args: vec![],
                    }
                ),
                Ast::Str("c".into())
            )
        );
        // Each operator is a nesting level: a long chain is refused, not a
        // stack overflow later on.
        let chain = vec!["a"; MAX_DEPTH + 2].join(" + ");
        assert!(matches!(p(&chain), Err(ExprError::TooDeep { .. })));
    }

    /// Bloblang's tiers: `* / % |`, then `+ -`, then comparisons, then
    /// `&&` and `||` together, each left-associative.
    #[test]
    fn operators_bind_by_bloblangs_tiers() {
        assert_eq!(
            p("a + b * c").unwrap(),
            bin(BinOp::Add, path("a"), bin(BinOp::Mul, path("b"), path("c")))
        );
        assert_eq!(
            p("a | b + c").unwrap(),
            bin(
                BinOp::Add,
                bin(BinOp::Coalesce, path("a"), path("b")),
                path("c")
            )
        );
        assert_eq!(
            p("a || b && c").unwrap(),
            bin(BinOp::And, bin(BinOp::Or, path("a"), path("b")), path("c")),
            "`&&` does not bind tighter than `||`"
        );
        assert_eq!(
            p("a == b != c").unwrap(),
            bin(BinOp::Ne, bin(BinOp::Eq, path("a"), path("b")), path("c"))
        );
        assert_eq!(
            p("a - b - c").unwrap(),
            bin(BinOp::Sub, bin(BinOp::Sub, path("a"), path("b")), path("c"))
        );
        assert_eq!(
            p("a >= 1 && !b.c()").unwrap(),
            bin(
                BinOp::And,
                bin(BinOp::Ge, path("a"), Ast::Int(1)),
                Ast::Not(Box::new(Ast::Method {
                    target: Box::new(path("b")),
                    name: "c".into(),
                    args: vec![],
                }))
            )
        );
        // A minus negates the whole chain: `0 - (5.string())`.
        assert_eq!(
            p("-5.string()").unwrap(),
            bin(
                BinOp::Sub,
                Ast::Int(0),
                Ast::Method {
                    target: Box::new(Ast::Int(5)),
                    name: "string".into(),
                    args: vec![],
                }
            )
        );
        // An operator may be followed by a line break, not preceded by one.
        assert_eq!(p("a +\n b").unwrap(), bin(BinOp::Add, path("a"), path("b")));
        assert_eq!(syntax("a\n+ b"), "unexpected `+` at offset 2");
    }

    #[test]
    fn if_takes_else_if_and_else() {
        assert_eq!(
            p(r#"if a { 1 } else if b { 2 } else { 3 }"#).unwrap(),
            Ast::If {
                branches: vec![(path("a"), Ast::Int(1)), (path("b"), Ast::Int(2))],
                otherwise: Some(Box::new(Ast::Int(3))),
            }
        );
        assert_eq!(
            p("if a {\n 1\n}").unwrap(),
            Ast::If {
                branches: vec![(path("a"), Ast::Int(1))],
                otherwise: None,
            }
        );
        // `else if` is one space apart in Bloblang.
        assert_eq!(
            syntax("if a { 1 } else  if b { 2 }"),
            "expected `{` after `else`"
        );
        assert_eq!(syntax("if a 1"), "expected `{` after `if`");
        assert_eq!(syntax("if a { 1"), "missing `}` of `if`");
    }

    #[test]
    fn match_cases_take_commas_or_line_breaks() {
        let expected = Ast::Match {
            target: Some(Box::new(Ast::Path(vec![field("id")]))),
            arms: vec![
                (Pattern::Literal(Ast::Str("a".into())), Ast::Int(1)),
                (Pattern::Literal(Ast::Int(-2)), Ast::Bool(true)),
                (Pattern::Literal(Ast::Null), Ast::Path(vec![])),
                (Pattern::Wildcard, Ast::Str("z".into())),
            ],
        };
        let with_commas = r#"match id { "a" => 1, -2 => true, null => this, _ => "z" }"#;
        // `-2` is folded from `0 - 2`, a literal case as in Bloblang.
        assert_eq!(p(with_commas).unwrap(), expected);
        let with_lines = "match id {\n  \"a\" => 1\n  -2 => true\n  null => this\n  _ => \"z\"\n}";
        assert_eq!(p(with_lines).unwrap(), expected);
        assert_eq!(
            p(r#"match { _ => "z" }"#).unwrap(),
            Ast::Match {
                target: None,
                arms: vec![(Pattern::Wildcard, Ast::Str("z".into()))],
            }
        );
        assert!(matches!(
            p(r#"match id { "a" => 1 "b" => 2 }"#),
            Err(ExprError::Syntax { .. })
        ));
        assert!(matches!(
            p(r#"match id "a""#),
            Err(ExprError::Syntax { .. })
        ));
        // A case that is not a literal is a query; `_foo` is a path.
        assert_eq!(
            p(r#"match id { this == "a" => 1, "a" + "b" => 2, _foo => 3 }"#).unwrap(),
            Ast::Match {
                target: Some(Box::new(path("id"))),
                arms: vec![
                    (
                        Pattern::Query(bin(BinOp::Eq, Ast::Path(vec![]), Ast::Str("a".into()))),
                        Ast::Int(1)
                    ),
                    (Pattern::Literal(Ast::Str("ab".into())), Ast::Int(2)),
                    (Pattern::Query(path("_foo")), Ast::Int(3)),
                ],
            }
        );
    }

    #[test]
    fn unsupported_constructs_are_named() {
        assert_eq!(
            unsupported("x -> x.id"),
            "lambda (`->`) outside the argument of `map_each` or `sort_by`"
        );
        assert_eq!(unsupported("$foo"), "variable (`$`)");
        assert_eq!(unsupported("@foo"), "metadata reference (`@`)");
        assert_eq!(unsupported("root.id"), "`root` reference");
        assert_eq!(unsupported("nanoid(length: 4)"), "named argument `length:`");
        assert_eq!(unsupported("this.(a | b)"), "path coalescing (`.(...)`)");
        assert_eq!(unsupported("this.\"a b\""), "quoted path segment");
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(
            syntax("id."),
            "expected a field name, an index or a method after `.`"
        );
        assert_eq!(syntax("id.or(\"x\""), "missing `)`");
        assert_eq!(syntax("\"abc"), "unterminated string literal");
        assert_eq!(syntax("id id"), "unexpected `i` at offset 3");
        assert_eq!(syntax("\"\\q\""), "invalid escape `\\q` in string literal");
        assert_eq!(syntax("id.or(,)"), "unexpected `,` at offset 6");
    }

    /// `n` levels of one kind of nesting (the shapes of
    /// [`crate::expr::tests`]' stack test).
    pub(crate) fn nested(shape: &str, n: usize) -> String {
        match shape {
            "or" => format!("{}\"x\"{}", "name.or(".repeat(n), ")".repeat(n)),
            "catch" => format!("{}\"x\"{}", "name.catch(".repeat(n), ")".repeat(n)),
            "chain" => format!("name{}", ".uppercase()".repeat(n)),
            "or_chain" => format!("name{}", ".or(\"y\")".repeat(n)),
            "throw" => format!("{}\"x\"{}", "throw(".repeat(n), ")".repeat(n)),
            "parens" => format!("{}name{}", "(".repeat(n), ")".repeat(n)),
            "call" => format!("{}uuid_v4(){}", "name.or(".repeat(n - 1), ")".repeat(n - 1)),
            "if" => format!(
                "{}\"x\"{}",
                "if name { ".repeat(n),
                " } else { \"y\" }".repeat(n)
            ),
            // A `match` is two levels; an odd count adds parentheses.
            "match" => format!(
                "{}{}\"x\"{}{}",
                "(".repeat(n % 2),
                "match name { this => ".repeat(n / 2),
                ", _ => \"y\" }".repeat(n / 2),
                ")".repeat(n % 2)
            ),
            "coalesce" => format!("{}\"x\"", "name | ".repeat(n)),
            "map_each" => format!(
                "{}this{}.string()",
                "name.map_each(".repeat(n - 1),
                ")".repeat(n - 1)
            ),
            "array" => format!("{}name{}.string()", "[".repeat(n - 1), "]".repeat(n - 1)),
            _ => unreachable!("unknown shape {shape}"),
        }
    }

    pub(crate) const SHAPES: &[&str] = &[
        "or", "catch", "chain", "or_chain", "throw", "parens", "call", "if", "match", "coalesce",
        "map_each", "array",
    ];

    fn level(q: &str) -> usize {
        match parse_with_level(q, "tmpl") {
            Ok((_, level)) => level,
            Err(e) => panic!("{q}: {e}"),
        }
    }

    #[test]
    fn levels_count_calls_methods_and_parentheses() {
        assert_eq!(level("a.b.0.c"), 0);
        assert_eq!(level("\"x\""), 0);
        assert_eq!(level("uuid_v4()"), 1);
        assert_eq!(level("(a)"), 1);
        assert_eq!(level("a.or(b)"), 1);
        assert_eq!(level("a.or(b).or(c).slug()"), 3);
        assert_eq!(level("a.or(b.or(c))"), 2);
        assert_eq!(level("a.or(b.or(uuid_v4()))"), 3);
        assert_eq!(level("(a.or(b)).slug()"), 3);
        assert_eq!(level("a.or(b, c.d().e().f())"), 4);
        for shape in SHAPES {
            assert_eq!(level(&nested(shape, 5)), 5, "{shape}");
        }
    }

    /// Deeper than [`MAX_DEPTH`] is an error, whatever the shape, and is
    /// found without recursing or building a tree per level: 10,000
    /// levels overflowed the stack (in parsing for parentheses and
    /// arguments, in checking, emitting or dropping for method chains).
    #[test]
    fn nesting_deeper_than_the_limit_is_an_error() {
        for shape in SHAPES {
            for n in [MAX_DEPTH + 1, MAX_DEPTH + 2, 10_000] {
                let q = nested(shape, n);
                match p(&q) {
                    Err(ExprError::TooDeep { max, template }) => {
                        assert_eq!((max, template.as_str()), (MAX_DEPTH, "tmpl"));
                    }
                    other => panic!("{shape} x {n}: {other:?}"),
                }
            }
            assert_eq!(level(&nested(shape, MAX_DEPTH)), MAX_DEPTH, "{shape}");
        }
        let err = ExprError::TooDeep {
            max: MAX_DEPTH,
            template: format!("${{! {} }}", nested("or", 100)),
        }
        .to_string();
        assert_eq!(
            err,
            format!(
                "ID expression nested too deeply (more than {MAX_DEPTH} levels): each call, \
                 chained method, operator, `if`, `match` and pair of parentheses is a level, in \
                 `${{! name.or(name.or(name.or(name.or(name.or(name.or(name.or(name.or(name.or(name...`"
            )
        );
    }

    #[test]
    fn paths_longer_than_the_limit_are_errors() {
        let path = |n: usize| vec!["parent"; n].join(".");
        assert!(
            matches!(p(&path(MAX_PATH_SEGMENTS)), Ok(Ast::Path(s)) if s.len() == MAX_PATH_SEGMENTS)
        );
        for n in [MAX_PATH_SEGMENTS + 1, 10_000] {
            assert!(
                matches!(
                    p(&path(n)),
                    Err(ExprError::PathTooLong {
                        max: MAX_PATH_SEGMENTS,
                        ..
                    })
                ),
                "{n}"
            );
        }
    }

    /// A literal past f64's range parsed to an infinity, and emitting it
    /// panicked (`Literal::f64_unsuffixed(inf)`).
    #[test]
    fn numbers_out_of_f64_range_are_errors() {
        let huge = format!("1{}", "0".repeat(309));
        let negative = format!("-{huge}");
        let decimal = format!("{huge}.5");
        for (query, literal) in [
            (huge.clone(), &huge),
            (negative.clone(), &huge),
            (decimal.clone(), &decimal),
            (format!("id.or({huge})"), &huge),
        ] {
            assert_eq!(
                syntax(&query),
                format!("number `{literal}` is out of range (the largest is about 1.8e308)")
            );
        }
        // The largest finite values still parse.
        let max = format!("17976931348623157{}", "0".repeat(292));
        assert_eq!(p(&max).unwrap(), Ast::Float(f64::MAX));
        assert_eq!(p(&format!("-{max}")).unwrap(), Ast::Float(f64::MIN));
        // Tiny ones round to zero, which is finite.
        assert_eq!(
            p(&format!("0.{}1", "0".repeat(400))).unwrap(),
            Ast::Float(0.0)
        );
    }
}
