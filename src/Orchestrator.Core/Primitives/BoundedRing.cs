namespace Orchestrator.Core;

/// <summary>
/// The newest items up to a capacity, the oldest dropped first: an array grown as items come (a ring given a large
/// capacity and few items stays small), then overwritten in place, so keeping an item allocates nothing. Not
/// thread-safe: its owner locks around it (the in-memory audit and metrics sinks).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class BoundedRing<T>(int capacity)
{
    private T[] _items = [];

    /// <summary>The slot the next item goes into.</summary>
    private int _next;

    /// <summary>The most items kept.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>The items kept.</summary>
    public int Count { get; private set; }

    /// <summary>Keeps <paramref name="item"/>; a full ring overwrites its oldest item.</summary>
    public void Add(T item)
    {
        if (_next == _items.Length)
        {
            if (_items.Length < Capacity)
            {
                Array.Resize(ref _items, Math.Min(Capacity, Math.Max(16, _items.Length * 2)));
            }
            else
            {
                _next = 0;
            }
        }

        _items[_next++] = item;
        if (Count < Capacity)
        {
            Count++;
        }
    }

    /// <summary>The items kept, oldest first, in a new array.</summary>
    public T[] ToArray()
    {
        var items = new T[Count];
        var first = _next - Count;
        if (first < 0)
        {
            // Wrapped: the oldest items sit at the end of the array, the newest from its start.
            var tail = -first;
            Array.Copy(_items, _items.Length - tail, items, 0, tail);
            Array.Copy(_items, 0, items, tail, _next);
        }
        else
        {
            Array.Copy(_items, first, items, 0, Count);
        }

        return items;
    }
}
