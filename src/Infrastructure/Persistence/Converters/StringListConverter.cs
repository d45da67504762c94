using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AuthPlatform.Infrastructure.Persistence.Converters;

/// <summary>
/// A list of strings that contain no space (URIs of printable ASCII, grant types) as one
/// space-separated text column, like <see cref="ScopeSetConverter"/>.
/// </summary>
public sealed class StringListConverter() : ValueConverter<IReadOnlyList<string>, string>(
    list => string.Join(' ', list),
    value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

/// <summary>Compares such lists by their items, so that a changed list is saved and an equal one is not.</summary>
public sealed class StringListComparer() : ValueComparer<IReadOnlyList<string>>(
    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode(StringComparison.Ordinal))),
    list => list.ToArray());
