using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Planning;

/// <summary>What a field a name is read from allows besides step ids.</summary>
internal enum FieldVariables
{
    /// <summary>Only step ids and the scope's variables.</summary>
    None,

    /// <summary>A per-item field (transform mapping and filter, validation rules): <c>item</c>, <c>value</c> and <c>index</c> are the current element.</summary>
    Item,

    /// <summary>A rollback: the step may read its own output.</summary>
    Rollback,

    /// <summary>
    /// A per-item condition (a filter's): as <see cref="Item"/>, and a bare root that no step, input or variable
    /// defines is a field of the item (<c>{"field": "dept"}</c> reads <c>item.dept</c>), as the compiler writes it.
    /// </summary>
    ItemFields,
}

/// <summary>One use of a name by a step: a declared dependency or a reference in one of its fields.</summary>
/// <param name="Name">The step id or root name used.</param>
/// <param name="Kind">Declared or reference.</param>
/// <param name="Field">The field it is in, relative to the step (such as <c>params</c> or <c>dependencies</c>).</param>
/// <param name="FieldIndex">The position in the field when the field is a list (<c>dependencies[1]</c>); -1 otherwise.</param>
/// <param name="Reference">The reference, for a reference.</param>
/// <param name="Source">The template the reference is in, to locate it precisely in a diagnostic.</param>
/// <param name="Variables">What else the field allows.</param>
internal readonly record struct NameUse(
    string Name,
    PlanEdgeKind Kind,
    string Field,
    int FieldIndex,
    ReferencePath? Reference,
    TemplateValue? Source,
    FieldVariables Variables)
{
    /// <summary>The field's path relative to the step, built only when a diagnostic needs it.</summary>
    public string FieldPath => FieldIndex < 0
        ? Field
        : Field + "[" + FieldIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" + (Field == "dependencies" ? string.Empty : Suffix);

    private string Suffix => Field switch
    {
        "sources" => ".from",
        "rules" => ".condition",
        _ => string.Empty,
    };
}
