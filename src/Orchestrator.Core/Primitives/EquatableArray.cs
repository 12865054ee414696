using System.Collections;
using System.Runtime.CompilerServices;

namespace Orchestrator.Core;

/// <summary>
/// An immutable list with value equality, so that records holding lists (steps, dependencies, rules)
/// compare by content: a workflow loaded twice from the same JSON is equal to itself.
/// </summary>
/// <typeparam name="T">The element type; its own <see cref="object.Equals(object?)"/> decides element equality.</typeparam>
[CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2225:Operator overloads have named alternates", Justification = "The constructor and EquatableArray.Create are the named alternates.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1002:Do not expose generic lists", Justification = "A conversion from List<T> that copies it; no list is exposed.")]
public readonly struct EquatableArray<T> : IReadOnlyList<T>, IEquatable<EquatableArray<T>>
{
    private readonly T[]? _items;

    /// <summary>Creates an array over a copy of <paramref name="items"/>.</summary>
    /// <param name="items">The elements, in order.</param>
    public EquatableArray(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    private EquatableArray(T[] items, bool _) => _items = items;

    /// <summary>The number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>Whether the array has no elements.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">A zero-based position.</param>
    public T this[int index] => (_items ?? [])[index];

    /// <summary>The elements as a span, without copying.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <summary>The underlying array, never to be modified (the planner keeps it instead of copying it).</summary>
    internal T[] UnsafeArray => _items ?? [];

    /// <summary>Wraps <paramref name="items"/> without copying; the caller gives up ownership.</summary>
    internal static EquatableArray<T> UnsafeWrap(T[] items) => new(items, true);

    /// <inheritdoc />
    public bool Equals(EquatableArray<T> other)
    {
        var left = AsSpan();
        var right = other.AsSpan();
        if (left.Length != right.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Length; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns an enumerator over the elements.</summary>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", _items ?? [])}]";

    /// <summary>Compares two arrays by content.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Compares two arrays by content.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
    public static implicit operator EquatableArray<T>(T[] items) => new(items ?? []);

    /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
    public static implicit operator EquatableArray<T>(List<T> items) => new(items ?? []);
}
