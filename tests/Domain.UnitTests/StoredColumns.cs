namespace AuthPlatform.Domain.UnitTests;

/// <summary>
/// Some columns are written only by the store's atomic conditional updates (ADR 0009): the
/// failed-login counter and lock, a family's revocation, a recovery code's use. No domain method
/// sets them, so a test that needs such a state sets the column the way EF Core materialises it.
/// </summary>
internal static class StoredColumns
{
    public static T WithStored<T>(this T entity, string property, object? value)
        where T : class
    {
        var info = typeof(T).GetProperty(property) ?? throw new ArgumentException($"{typeof(T).Name} has no property {property}.", nameof(property));
        info.SetValue(entity, value);
        return entity;
    }
}
