//! The object model: values, the object header, type objects with their
//! slot table (CPython's `tp_*` / `nb_*` / `sq_*` slots, reduced to what the
//! subset needs), and the static singletons `None`, `True`, `False`,
//! `NotImplemented` and `Ellipsis`.

use crate::abi;
use crate::heap::Marker;
use alloc::string::String;

pub type Value = abi::Value;

/// "An exception has been raised": the exception itself sits in the thread
/// state ([`crate::exc`]). Every fallible runtime function returns `R<T>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised;
pub type R<T> = Result<T, Raised>;

/// Word 0 of every object.
#[repr(C)]
pub struct Header {
    pub ob_type: &'static TypeObject,
}

/// `COMPARE_OP` operators in `dis.cmp_op` order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CmpOp {
    Lt = 0,
    Le = 1,
    Eq = 2,
    Ne = 3,
    Gt = 4,
    Ge = 5,
}

impl CmpOp {
    pub fn from_index(i: usize) -> Option<CmpOp> {
        Some(match i {
            0 => CmpOp::Lt,
            1 => CmpOp::Le,
            2 => CmpOp::Eq,
            3 => CmpOp::Ne,
            4 => CmpOp::Gt,
            5 => CmpOp::Ge,
            _ => return None,
        })
    }

    /// The operator with its operands swapped (`a < b` == `b > a`).
    pub fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Eq => CmpOp::Eq,
            CmpOp::Ne => CmpOp::Ne,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
        }
    }

    pub fn symbol(self) -> &'static str {
        ["<", "<=", "==", "!=", ">", ">="][self as usize]
    }

    /// The answer of this comparison given an `Ordering`.
    pub fn test(self, o: core::cmp::Ordering) -> bool {
        use core::cmp::Ordering::*;
        match self {
            CmpOp::Lt => o == Less,
            CmpOp::Le => o != Greater,
            CmpOp::Eq => o == Equal,
            CmpOp::Ne => o != Equal,
            CmpOp::Gt => o == Greater,
            CmpOp::Ge => o != Less,
        }
    }
}

/// Unary operators (`nb_negative`, `nb_positive`, `nb_invert`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UnaryOp {
    Neg,
    Pos,
    Invert,
}

/// What a type's `getattr` finds.
pub enum Attr {
    /// A builtin method descriptor: `LOAD_METHOD` pushes it with `self`,
    /// `LOAD_ATTR` binds it.
    Method(Value),
    /// A plain attribute value.
    Value(Value),
}

pub type ReprFn = fn(Value, &mut String) -> R<()>;
pub type RichCmpFn = fn(Value, Value, CmpOp) -> R<Value>;
pub type BinaryFn = fn(Value, Value, u32) -> R<Value>;
pub type UnaryFn = fn(Value, UnaryOp) -> R<Value>;
pub type CallFn = fn(Value, &[Value], Value) -> R<Value>;
pub type NewFn = fn(&'static TypeObject, &[Value], Value) -> R<Value>;
pub type SetItemFn = fn(Value, Value, Value) -> R<()>;
pub type NextFn = fn(Value) -> R<Option<Value>>;
pub type GetAttrFn = fn(Value, &[u8]) -> R<Option<Attr>>;
pub type SetAttrFn = fn(Value, &[u8], Value) -> R<bool>;

/// A type object: its name, its base, and its slots. A slot left `None`
/// inherits nothing automatically; a subtype copies the slots it shares
/// (as `bool` does from `int`).
#[repr(C)]
pub struct TypeObject {
    pub header: Header,
    pub name: &'static str,
    pub base: Option<&'static TypeObject>,
    /// `tp_repr`: appends `repr(obj)`.
    pub repr: Option<ReprFn>,
    /// `tp_str`: appends `str(obj)`; `None` means `repr`.
    pub str: Option<ReprFn>,
    /// `tp_richcompare`: `NotImplemented` when it does not know `other`.
    pub richcompare: Option<RichCmpFn>,
    /// The binary `nb_*` slots in one function taking the `NB_*` operator
    /// (in-place operators included); `NotImplemented` when it does not
    /// know the operand types. Called with the operands in source order
    /// for the left and the right operand's type.
    pub number: Option<BinaryFn>,
    pub unary: Option<UnaryFn>,
    /// `nb_bool`; `None` and no `len` means always true.
    pub to_bool: Option<fn(Value) -> bool>,
    /// `sq_length` / `mp_length`.
    pub len: Option<fn(Value) -> R<usize>>,
    /// `mp_subscript`.
    pub getitem: Option<fn(Value, Value) -> R<Value>>,
    /// `mp_ass_subscript`.
    pub setitem: Option<SetItemFn>,
    /// `sq_contains`.
    pub contains: Option<fn(Value, Value) -> R<bool>>,
    /// `sq_concat`: tried for `+` after the number slots.
    pub concat: Option<fn(Value, Value) -> R<Value>>,
    /// `sq_repeat`: tried for `*` with an int operand.
    pub repeat: Option<fn(Value, isize) -> R<Value>>,
    /// `sq_inplace_concat`: tried first for `+=`.
    pub inplace_concat: Option<fn(Value, Value) -> R<Value>>,
    /// `tp_iter`.
    pub iter: Option<fn(Value) -> R<Value>>,
    /// `tp_iternext`: `None` when exhausted.
    pub next: Option<NextFn>,
    /// `tp_getattro`, by name; `Ok(None)` raises the usual `AttributeError`.
    pub getattr: Option<GetAttrFn>,
    /// `tp_setattro`; `Ok(false)`: no such attribute.
    pub setattr: Option<SetAttrFn>,
    /// `tp_call`.
    pub call: Option<CallFn>,
    /// `tp_new` + `tp_init`: what calling the type does.
    pub new: Option<NewFn>,
    /// Marks the values the object holds.
    pub trace: Option<fn(usize, &mut Marker)>,
    /// Frees memory the object owns outside the GC heap, when swept.
    pub finalize: Option<fn(usize)>,
    /// `COMPARE_OP` compares two instances of exactly this type without a
    /// level of recursion, like CPython 3.11's specialised compare
    /// instructions (set for `float`; `int` and `str` are known to
    /// `ops::compare_op` by address, which would link `float` into every
    /// program that compares).
    pub specialised_compare: bool,
}

impl TypeObject {
    /// A type with every slot empty.
    pub const fn new(name: &'static str, base: Option<&'static TypeObject>) -> TypeObject {
        TypeObject {
            header: Header {
                ob_type: &TYPE_TYPE,
            },
            name,
            base,
            repr: None,
            str: None,
            richcompare: None,
            number: None,
            unary: None,
            to_bool: None,
            len: None,
            getitem: None,
            setitem: None,
            contains: None,
            concat: None,
            repeat: None,
            inplace_concat: None,
            iter: None,
            next: None,
            getattr: None,
            setattr: None,
            call: None,
            new: None,
            trace: None,
            finalize: None,
            specialised_compare: false,
        }
    }

    pub fn as_value(&'static self) -> Value {
        self as *const TypeObject as Value
    }

    /// `issubclass(self, base)`.
    pub fn is_subtype(&self, base: &TypeObject) -> bool {
        let mut t = Some(self);
        while let Some(ty) = t {
            if core::ptr::eq(ty, base) {
                return true;
            }
            t = ty.base;
        }
        false
    }
}

/// `type(v)`.
#[inline]
pub fn type_of(v: Value) -> &'static TypeObject {
    if v & abi::INT_TAG != 0 {
        &crate::int::INT_TYPE
    } else {
        unsafe { (*(v as *const Header)).ob_type }
    }
}

#[inline]
pub fn is_type(v: Value, ty: &'static TypeObject) -> bool {
    core::ptr::eq(type_of(v), ty)
}

/// The object behind a value, as its layout struct.
///
/// # Safety
/// `v` must be a pointer to an object of layout `T`.
#[inline(always)]
pub unsafe fn obj<T>(v: Value) -> &'static mut T {
    &mut *(v as *mut T)
}

/// Allocates a zeroed GC object of layout `T` of type `ty`.
#[allow(clippy::mut_from_ref)] // fresh memory, not derived from `ty`
pub fn new_object<T>(ty: &'static TypeObject) -> &'static mut T {
    unsafe { &mut *(crate::heap::alloc(core::mem::size_of::<T>(), ty) as *mut T) }
}

// ---- type ------------------------------------------------------------------------

fn type_repr(v: Value, out: &mut String) -> R<()> {
    let ty = unsafe { obj::<TypeObject>(v) };
    out.push_str("<class '");
    out.push_str(ty.name);
    out.push_str("'>");
    Ok(())
}

fn type_call(v: Value, args: &[Value], kwnames: Value) -> R<Value> {
    let ty: &'static TypeObject = unsafe { obj::<TypeObject>(v) };
    match ty.new.or_else(|| crate::builtins::constructor(ty)) {
        Some(new) => new(ty, args, kwnames),
        None => {
            let mut m = String::from("cannot create '");
            m.push_str(ty.name);
            m.push_str("' instances");
            Err(crate::exc::type_error(&m))
        }
    }
}

pub static TYPE_TYPE: TypeObject = TypeObject {
    repr: Some(type_repr),
    call: Some(type_call),
    ..TypeObject::new("type", Some(&OBJECT_TYPE))
};

pub static OBJECT_TYPE: TypeObject = TypeObject::new("object", None);

// ---- singletons -------------------------------------------------------------------

fn none_repr(_: Value, out: &mut String) -> R<()> {
    out.push_str("None");
    Ok(())
}

fn false_bool(_: Value) -> bool {
    false
}

pub static NONE_TYPE: TypeObject = TypeObject {
    repr: Some(none_repr),
    to_bool: Some(false_bool),
    ..TypeObject::new("NoneType", Some(&OBJECT_TYPE))
};

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_None: Header = Header {
    ob_type: &NONE_TYPE,
};

/// `True` and `False`: `bool` objects with the int layout.
#[repr(C)]
pub struct BoolObject {
    pub header: Header,
    pub value: usize,
}

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_True: BoolObject = BoolObject {
    header: Header {
        ob_type: &crate::int::BOOL_TYPE,
    },
    value: 1,
};

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_False: BoolObject = BoolObject {
    header: Header {
        ob_type: &crate::int::BOOL_TYPE,
    },
    value: 0,
};

fn not_implemented_repr(_: Value, out: &mut String) -> R<()> {
    out.push_str("NotImplemented");
    Ok(())
}

pub static NOT_IMPLEMENTED_TYPE: TypeObject = TypeObject {
    repr: Some(not_implemented_repr),
    ..TypeObject::new("NotImplementedType", Some(&OBJECT_TYPE))
};

static NOT_IMPLEMENTED_OBJ: Header = Header {
    ob_type: &NOT_IMPLEMENTED_TYPE,
};

fn ellipsis_repr(_: Value, out: &mut String) -> R<()> {
    out.push_str("Ellipsis");
    Ok(())
}

pub static ELLIPSIS_TYPE: TypeObject = TypeObject {
    repr: Some(ellipsis_repr),
    ..TypeObject::new("ellipsis", Some(&OBJECT_TYPE))
};

static ELLIPSIS_OBJ: Header = Header {
    ob_type: &ELLIPSIS_TYPE,
};

#[inline(always)]
pub fn none() -> Value {
    &pyrt_None as *const Header as Value
}

#[inline(always)]
pub fn true_() -> Value {
    &pyrt_True as *const BoolObject as Value
}

#[inline(always)]
pub fn false_() -> Value {
    &pyrt_False as *const BoolObject as Value
}

#[inline(always)]
pub fn bool_value(b: bool) -> Value {
    if b {
        true_()
    } else {
        false_()
    }
}

#[inline(always)]
pub fn not_implemented() -> Value {
    &NOT_IMPLEMENTED_OBJ as *const Header as Value
}

pub fn ellipsis() -> Value {
    &ELLIPSIS_OBJ as *const Header as Value
}

/// Calls `f` on every value the runtime itself keeps alive (a GC root
/// set besides the program's constants and globals and the stack).
pub fn for_each_runtime_root(f: &mut dyn FnMut(Value)) {
    crate::exc::for_each_root(f);
    crate::module::for_each_root(f);
    crate::str::for_each_root(f);
}
