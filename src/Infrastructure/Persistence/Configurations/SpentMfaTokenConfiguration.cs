using AuthPlatform.Infrastructure.TwoFactor;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

public sealed class SpentMfaTokenConfiguration : IEntityTypeConfiguration<SpentMfaToken>
{
    public void Configure(EntityTypeBuilder<SpentMfaToken> builder)
    {
        builder.ToTable("spent_mfa_tokens");
        builder.HasKey(t => t.TokenId);
        builder.Property(t => t.TokenId).HasMaxLength(SpentMfaToken.MaxIdLength).ValueGeneratedNever();
        builder.HasIndex(t => t.ExpiresAt);
    }
}
