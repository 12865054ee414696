namespace Orchestrator.Core.Usage;

/// <summary>
/// The prices of one options snapshot, ready for lookups: a model's exact name first (case-insensitive), then the
/// longest listed name it starts with (<c>gpt-4o</c> prices <c>gpt-4o-2024-08-06</c>), then the default price.
/// </summary>
internal sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _exact;
    private readonly KeyValuePair<string, ModelPrice>[] _byLongestPrefix;
    private readonly ModelPrice? _default;

    public PriceTable(IDictionary<string, ModelPrice> prices, ModelPrice? defaultPrice)
    {
        _exact = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        _byLongestPrefix = [.. prices.OrderByDescending(p => p.Key.Length)];
        _default = defaultPrice;
    }

    public bool IsEmpty => _exact.Count == 0 && _default is null;

    /// <summary>The price of <paramref name="model"/>, or null when neither the table nor the default has one.</summary>
    public ModelPrice? Find(string? model)
    {
        if (model is not null)
        {
            if (_exact.TryGetValue(model, out var price))
            {
                return price;
            }

            foreach (var (name, prefixPrice) in _byLongestPrefix)
            {
                if (model.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return prefixPrice;
                }
            }
        }

        return _default;
    }
}
