using System.Globalization;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// One change to the verification memory that every node must make too (ADR 0022): a key evicted,
/// a stamp, token, session or client refused, a client registration forgotten, the signing keys
/// changed. Sent on Redis as one line, <c>kind|field|…</c>, the only free-text field last.
/// </summary>
public abstract record Invalidation
{
    public abstract string Encode();

    /// <summary>The invalidation a line stands for; null for a line this version does not know (a newer node's): ignored.</summary>
    public static Invalidation? Decode(string line)
    {
        var kind = line.Split('|', 2)[0];
        var parts = line.Split('|', kind switch { "stamp" => 4, "token" or "session" or "client" => 3, "keys" => 1, _ => 2 });
        try
        {
            return (kind, parts.Length) switch
            {
                ("key", 2) => new ApiKeyEvicted(parts[1]),
                ("stamp", 4) => new StampRotated(Guid.Parse(parts[1]), parts[3], Time(parts[2])),
                ("token", 3) => new TokenRevoked(parts[2], Time(parts[1])),
                ("session", 3) => new SessionRevoked(Guid.Parse(parts[1]), Time(parts[2])),
                ("client", 3) => new ClientRevoked(parts[2], Time(parts[1])),
                ("registration", 2) => new RegistrationChanged(parts[1]),
                ("owner", 2) => new OwnerChanged(Guid.Parse(parts[1])),
                ("keys", 1) => new SigningKeysChanged(),
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }
    }

    private static string Time(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>An API key revoked, rotated or deleted, or its owner's standing changed: read it again.</summary>
    public sealed record ApiKeyEvicted(string KeyHash) : Invalidation
    {
        public override string Encode() => $"key|{KeyHash}";
    }

    public sealed record StampRotated(Guid UserId, string Fingerprint, DateTimeOffset RotatedAt) : Invalidation
    {
        public override string Encode() => $"stamp|{UserId:D}|{Time(RotatedAt)}|{Fingerprint}";
    }

    public sealed record TokenRevoked(string TokenId, DateTimeOffset ExpiresAt) : Invalidation
    {
        public override string Encode() => $"token|{Time(ExpiresAt)}|{TokenId}";
    }

    public sealed record SessionRevoked(Guid SessionId, DateTimeOffset RevokedAt) : Invalidation
    {
        public override string Encode() => $"session|{SessionId:D}|{Time(RevokedAt)}";
    }

    /// <summary>A service account or OAuth client deleted: its tokens are refused.</summary>
    public sealed record ClientRevoked(string ClientId, DateTimeOffset RevokedAt) : Invalidation
    {
        public override string Encode() => $"client|{Time(RevokedAt)}|{ClientId}";
    }

    /// <summary>A client's registration changed (secret, settings, deletion): the token endpoint reads it again.</summary>
    public sealed record RegistrationChanged(string ClientId) : Invalidation
    {
        public override string Encode() => $"registration|{ClientId}";
    }

    public sealed record OwnerChanged(Guid UserId) : Invalidation
    {
        public override string Encode() => $"owner|{UserId:D}";
    }

    /// <summary>A signing key created, rotated or retired: reload the key ring.</summary>
    public sealed record SigningKeysChanged : Invalidation
    {
        public override string Encode() => "keys";
    }
}
