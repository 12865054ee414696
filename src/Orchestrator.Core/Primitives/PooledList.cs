using System.Buffers;

namespace Orchestrator.Core;

/// <summary>
/// A growable list over arrays rented from <see cref="ArrayPool{T}.Shared"/>, for large temporary buffers (the planner's
/// edge lists) that would otherwise be fresh large-object-heap arrays on every call. Return it with <see cref="Dispose"/>.
/// </summary>
internal struct PooledList<T> : IDisposable
{
    private T[] _items;
    private int _count;

    public PooledList(int capacity)
    {
        _items = ArrayPool<T>.Shared.Rent(Math.Max(capacity, 16));
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly ref T this[int index] => ref _items[index];

    public void Add(T item)
    {
        if (_count == _items.Length)
        {
            var larger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
            Array.Copy(_items, larger, _count);
            ArrayPool<T>.Shared.Return(_items);
            _items = larger;
        }

        _items[_count++] = item;
    }

    /// <summary>An exactly sized copy of the items.</summary>
    public readonly T[] ToArray() => _items.AsSpan(0, _count).ToArray();

    public void Dispose()
    {
        if (_items.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_items);
            _items = [];
            _count = 0;
        }
    }
}
