namespace Orchestrator.Core;

/// <summary>Creates <see cref="EquatableArray{T}"/> values; the target of collection expressions.</summary>
public static class EquatableArray
{
    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements, in order.</param>
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => EquatableArray<T>.UnsafeWrap(items.ToArray());
}
