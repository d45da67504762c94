using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Users;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AuthPlatform.Infrastructure.Persistence.Converters;

/// <summary>A <see cref="ScopeSet"/> as its space-separated form (one text column), parsed and validated once on the way back.</summary>
public sealed class ScopeSetConverter() : ValueConverter<ScopeSet, string>(scopes => scopes.ToString(), value => ScopeSet.Parse(value));

/// <summary>An <see cref="EmailAddress"/> as the address the user typed; its normalised form has a column of its own.</summary>
public sealed class EmailAddressConverter() : ValueConverter<EmailAddress, string>(email => email.Value, value => EmailAddress.Create(value));
