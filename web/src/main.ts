import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Element Plus components are imported on demand (vite.config.ts). The theme variables and the
// stylesheets of the two services called from scripts (ElMessage, ElMessageBox) are loaded here once;
// the locale and message settings come from <el-config-provider> in App.vue.
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './styles/main.css'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'

import App from './App.vue'
import { router } from './router'
import { installFormA11y } from './utils/formA11y'

// Each capability's review case kinds are registered by the pages that read them (views/review/registeredKinds.ts).

dayjs.locale('zh-cn')

const app = createApp(App)
app.use(createPinia())
app.use(router)
app.mount('#app')
// Form fields tell assistive technology that they are required or wrong, and why (utils/formA11y.ts).
installFormA11y()
