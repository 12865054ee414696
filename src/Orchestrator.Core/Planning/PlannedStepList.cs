using System.Collections;

namespace Orchestrator.Core.Planning;

/// <summary>A read-only view of some steps of an <see cref="ExecutionPlan"/>, over the plan's own arrays (no copy).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1815:Override equals and operator equals on value types", Justification = "A view over a plan's arrays, like Span<T>: comparing two views is not meaningful.")]
public readonly struct PlannedStepList : IReadOnlyList<PlannedStep>
{
    private readonly ExecutionPlan? _plan;
    private readonly int[]? _indexes;
    private readonly int _start;
    private readonly int _count;

    internal PlannedStepList(ExecutionPlan plan, int[] indexes, int start, int count)
    {
        _plan = plan;
        _indexes = indexes;
        _start = start;
        _count = count;
    }

    /// <summary>The number of steps.</summary>
    public int Count => _count;

    /// <summary>The step at <paramref name="index"/>.</summary>
    /// <param name="index">A zero-based position in this list.</param>
    public PlannedStep this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            return _plan!.Steps[_indexes![_start + index]];
        }
    }

    /// <summary>The plan indexes of the steps (positions in <see cref="ExecutionPlan.Steps"/>).</summary>
    public ReadOnlySpan<int> Indexes => _indexes is null ? default : _indexes.AsSpan(_start, _count);

    /// <inheritdoc />
    public IEnumerator<PlannedStep> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
