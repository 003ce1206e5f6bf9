import { reactive } from 'vue'

/**
 * Account dialogs that several places open (organization card, header menu): one instance each,
 * mounted by AppShell. The forced change-password dialog (must_change_password) is separate state.
 */
export const accountDialogs = reactive({
  changePassword: false,
  changePhone: false,
})
