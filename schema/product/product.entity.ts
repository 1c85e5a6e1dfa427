import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A product the seller licenses (an app, a plugin, a tool). Plans belong to a product. */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'product',
  properties: {
    id: p.uuid().primary(),
    /** Stable slug, e.g. `acme-desktop`. */
    code: p.string().length(100).unique('product_code_unique'),
    name: p.string().length(200),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type ProductEntity = InferEntity<typeof Product>;
