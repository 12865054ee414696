using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Model;

/// <summary>One rule of a <see cref="ValidationStep"/>.</summary>
public sealed record ValidationRule
{
    /// <summary>The field of the input the rule is about.</summary>
    public string? Field { get; init; }

    /// <summary>The condition the input must meet; inside it <c>item</c> is the validated input.</summary>
    public Condition? Condition { get; init; }

    /// <summary>The message reported when the rule fails.</summary>
    public string? Message { get; init; }
}
