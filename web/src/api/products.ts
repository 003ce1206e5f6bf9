/**
 * 产品 (products, docs/providers-products.md): the product categories and the public catalogue (上架产品).
 * A product's entry into a pool is a review case (kind `product_entry`) saved and submitted with the
 * generic endpoints of `review.ts`.
 */
import { api, call, withoutEmpty, type CallOptions } from './client'
import type { CatalogueQuery, CategoryGroup, ProductPage, ProviderPage } from './types'

/** The case kind of this capability. */
export const PRODUCT_ENTRY = 'product_entry'

let categoriesPromise: Promise<CategoryGroup[]> | null = null

/** 产品/服务类别（业务环节） in their groups (public; cached for the page's lifetime). */
export function loadProductCategories(options?: CallOptions): Promise<CategoryGroup[]> {
  if (!categoriesPromise) {
    categoriesPromise = call(api.GET('/api/products/categories'), options).then((r) => r.groups ?? [])
    categoriesPromise.catch(() => {
      categoriesPromise = null
    })
  }
  return categoriesPromise
}

/** 上架产品: the approved products, filtered by name, category and industry. */
export function listCatalogue(query: CatalogueQuery = {}, options?: CallOptions): Promise<ProductPage> {
  return call(api.GET('/api/catalogue/products', { params: { query: withoutEmpty(query) } }), options)
}

/** A provider's public page: its products and the enterprises' 服务商评价 (who wrote them is not shown). */
export function fetchProviderPage(id: string, options?: CallOptions): Promise<ProviderPage> {
  return call(api.GET('/api/catalogue/providers/{id}', { params: { path: { id } } }), options)
}
