using System.Collections;
using System.Runtime.CompilerServices;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Authorization;

/// <summary>
/// A set of scope names, each valid (<c>[a-z0-9_.:-]{1,64}</c>), without duplicates, in the order
/// first given. Parsed and validated once: from the space-separated form of OAuth's
/// <c>scope</c> (RFC 6749 section 3.3), which is also how it is stored, or from a list.
/// </summary>
[CollectionBuilder(typeof(ScopeSet), nameof(Create))]
public sealed class ScopeSet : IReadOnlyList<string>, IEquatable<ScopeSet>
{
    private readonly string[] _scopes;

    private ScopeSet(string[] scopes) => _scopes = scopes;

    public static ScopeSet Empty { get; } = new([]);

    public int Count => _scopes.Length;

    public string this[int index] => _scopes[index];

    /// <summary>A set of the given names; a name that is not a valid scope is a bug in the caller.</summary>
    public static ScopeSet From(IEnumerable<string> scopes) =>
        TryFrom(scopes, out var set) ? set : throw new DomainException("A scope set holds valid scope names only.");

    public static bool TryFrom(IEnumerable<string> scopes, out ScopeSet set)
    {
        var list = new List<string>();
        foreach (var scope in scopes)
        {
            if (!Scopes.IsValidName(scope))
            {
                set = Empty;
                return false;
            }

            if (!list.Contains(scope, StringComparer.Ordinal))
            {
                list.Add(scope);
            }
        }

        set = list.Count == 0 ? Empty : new ScopeSet([.. list]);
        return true;
    }

    /// <summary>A set written as a collection expression: <c>ScopeSet scopes = ["profile", "admin"];</c>.</summary>
    public static ScopeSet Create(ReadOnlySpan<string> scopes) => From(scopes.ToArray());

    /// <summary>The space-separated form (as stored, and as in a token's <c>scope</c> claim).</summary>
    public static ScopeSet Parse(string? value) =>
        TryParse(value, out var set) ? set : throw new DomainException("A scope string holds valid scope names only.");

    public static bool TryParse(string? value, out ScopeSet set) =>
        TryFrom((value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), out set);

    public bool Contains(string scope)
    {
        foreach (var held in _scopes)
        {
            if (string.Equals(held, scope, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first of these scopes that <paramref name="holder"/> lacks, or null when it holds them all.</summary>
    public string? FirstMissingFrom(IReadOnlyCollection<string> holder)
    {
        foreach (var scope in _scopes)
        {
            if (!holder.Contains(scope, StringComparer.Ordinal))
            {
                return scope;
            }
        }

        return null;
    }

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_scopes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ScopeSet? other) => other is not null && _scopes.AsSpan().SequenceEqual(other._scopes);

    public override bool Equals(object? obj) => Equals(obj as ScopeSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var scope in _scopes)
        {
            hash.Add(scope, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The space-separated form.</summary>
    public override string ToString() => string.Join(' ', _scopes);
}
