using System.Text.Json;
using Orchestrator.Core.Execution.Values;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// The scope of one item of a data operation (transform, validation rule): <c>item</c> is the current item,
/// <c>value</c> is an alias of it unless the operation gives it a value of its own (a validation rule's field),
/// <c>index</c> its position (when there is one) and <c>accumulator</c> a running value (when there is one).
/// Every other name resolves through the parent scope.
/// </summary>
/// <remarks>
/// The item names shadow steps of the same id inside the operation, as a loop variable shadows an outer name.
/// The index is turned into JSON only when a reference reads it, so a filter that never mentions it costs nothing.
/// </remarks>
internal sealed class ItemScope : ValueScope
{
    public const string ItemName = "item";
    public const string ValueName = "value";
    public const string IndexName = "index";
    public const string AccumulatorName = "accumulator";

    private readonly ValueScope _parent;
    private readonly JsonElement _item;
    private readonly JsonElement _value;
    private readonly int? _index;
    private readonly JsonElement? _accumulator;
    private JsonElement _indexValue;

    /// <inheritdoc />
    public override TimeProvider Time => _parent.Time;

    /// <summary>Creates the scope of one item.</summary>
    /// <param name="parent">The enclosing scope.</param>
    /// <param name="item">The current item.</param>
    /// <param name="index">The item's position, or <see langword="null"/> when <c>index</c> should resolve through the parent.</param>
    /// <param name="value">What <c>value</c> reads; the item when <see langword="null"/>.</param>
    /// <param name="accumulator">What <c>accumulator</c> reads, or <see langword="null"/> when it should resolve through the parent.</param>
    public ItemScope(ValueScope parent, JsonElement item, int? index = null, JsonElement? value = null, JsonElement? accumulator = null)
    {
        // Every per-item evaluation (filter, map, validation rules) starts here: the step's cancel or timeout ends it between items.
        OperationGuard.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
        _item = item;
        _value = value ?? item;
        _index = index;
        _accumulator = accumulator;
    }

    /// <inheritdoc />
    public override bool TryResolveRoot(string name, out JsonElement value, out IStepValue? step)
    {
        step = null;
        switch (name)
        {
            case ItemName:
                value = _item;
                return true;
            case ValueName:
                value = _value;
                return true;
            case IndexName when _index is { } index:
                if (_indexValue.ValueKind == JsonValueKind.Undefined)
                {
                    _indexValue = JsonValues.FromNumber(index);
                }

                value = _indexValue;
                return true;
            case AccumulatorName when _accumulator is { } accumulator:
                value = accumulator;
                return true;
            default:
                // A bare name nothing else defines is a field of the item (the planner allows it only in filter conditions).
                if (_parent.TryResolveRoot(name, out value, out step))
                {
                    return true;
                }

                if (_item.ValueKind == JsonValueKind.Object && _item.TryGetProperty(name, out value))
                {
                    return true;
                }

                value = default;
                return false;
        }
    }
}
