using System.Text.Json;

namespace Orchestrator.Core.Execution.Values;

/// <summary>
/// What references can read at one point of a run: inputs, step outputs, loop and scatter variables, <c>var</c> and
/// <c>memory</c>. Scopes nest (a loop body's scope sees its enclosing scopes).
/// </summary>
internal abstract class ValueScope
{
    /// <summary>Resolves a reference's root name.</summary>
    /// <param name="name">The root name.</param>
    /// <param name="value">A plain value to navigate, when the root is one.</param>
    /// <param name="step">A step's output, when the root names a step.</param>
    /// <returns>Whether the name is known here.</returns>
    public abstract bool TryResolveRoot(string name, out JsonElement value, out IStepValue? step);

    /// <summary>The clock conditions read (<c>within_last_days</c>): the run's <see cref="TimeProvider"/>.</summary>
    public virtual TimeProvider Time => TimeProvider.System;
}
