/**
 * Schema-driven forms (docs/forms.md): the renderer the enterprise fills in, the read-only view, the
 * officials' designer, and the schema's types and helpers (shared rules with crates/core/src/form).
 *
 * The designer is loaded on first use (its own chunk), so pages that only fill in or show a form do not
 * carry it.
 */
import { defineAsyncComponent } from 'vue'

export { default as FormRenderer } from './FormRenderer.vue'
export { default as FormView } from './FormView.vue'
export const FormDesigner = defineAsyncComponent(() => import('./FormDesigner.vue'))
export { checkSchemaOnServer, type SchemaCheck } from './checkApi'
export { attachmentUpload } from './upload'
export * from './schema'
